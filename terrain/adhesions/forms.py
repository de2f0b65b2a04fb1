from __future__ import annotations

import re
from itertools import groupby

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.adhesions.models import Contact, Status
from terrain.public.models import Site

# A French number: 10 digits from 0, or +33 / 0033 and 9 digits; spaces, dots and hyphens allowed.
PHONE = re.compile(r"^(?:0|\+33|0033)[1-9](?:\d{8})$")
POSTAL_CODE = re.compile(r"^\d{5}$")
# Départements 01 to 95, 2A/2B written 20, and the overseas ones (971 to 976, 98x).
DEPARTEMENT = re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-5]|97[1-6]|98[4-9])")


def clean_phone(value: str) -> str:
    compact = re.sub(r"[\s.\-()]", "", value or "")
    if not compact:
        return ""
    if not PHONE.match(compact):
        raise forms.ValidationError(
            _("Give a French telephone number of 10 digits, for example 06 12 34 56 78."), code="phone"
        )
    if compact.startswith("+33") or compact.startswith("0033"):
        compact = "0" + compact[-9:]
    return " ".join(compact[i : i + 2] for i in range(0, 10, 2))


def clean_postal_code(value: str) -> str:
    value = re.sub(r"\s", "", value or "")
    if not POSTAL_CODE.match(value) or not DEPARTEMENT.match(value):
        raise forms.ValidationError(
            _("Give the workplace's postal code: 5 digits, for example 69003."), code="postal_code"
        )
    return value


class JoinForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"invalid": _("Give a valid e-mail address, for example prenom.nom@exemple.fr.")},
    )
    phone = forms.CharField(label=_("Telephone (optional)"), max_length=30, required=False)
    employer = forms.CharField(
        label=_("Employer"), max_length=160, help_text=_("The company or administration you work for.")
    )
    workplace_postal_code = forms.CharField(label=_("Postal code of your workplace"), max_length=10)
    job = forms.CharField(label=_("Your job"), max_length=160)
    message = forms.CharField(
        label=_("Your message (optional)"), max_length=3000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    preferred_contact = forms.ChoiceField(
        label=_("How would you like us to contact you?"),
        choices=Contact.choices,
        initial=Contact.EMAIL,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_("I agree that the union keeps these details to contact me about joining."),
        error_messages={"required": _("Tick the box to agree, or we cannot contact you.")},
        widget=forms.CheckboxInput(attrs={"aria-describedby": "consent-wording"}),
    )
    # Left empty by people, filled in by robots; hidden from screen readers too.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in ("preferred_contact", "consent"):
                continue
            field.widget.attrs.setdefault("autocomplete", AUTOCOMPLETE.get(name, "off"))
        self.fields["first_name"].error_messages["required"] = _("Give your first name.")
        self.fields["last_name"].error_messages["required"] = _("Give your last name.")
        self.fields["email"].error_messages["required"] = _("Give your e-mail address.")
        self.fields["employer"].error_messages["required"] = _("Give your employer's name.")
        self.fields["workplace_postal_code"].error_messages["required"] = _("Give the workplace's postal code.")
        self.fields["job"].error_messages["required"] = _("Give your job.")

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_workplace_postal_code(self) -> str:
        return clean_postal_code(self.cleaned_data.get("workplace_postal_code", ""))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("preferred_contact") == Contact.PHONE
            and not cleaned.get("phone")
            and "phone" not in self.errors
        ):
            self.add_error("phone", _("Give a telephone number, or choose to be contacted by e-mail."))
        return cleaned


AUTOCOMPLETE = {
    "first_name": "given-name",
    "last_name": "family-name",
    "email": "email",
    "phone": "tel",
    "employer": "organization",
    "workplace_postal_code": "postal-code",
    "job": "organization-title",
}


#: The instance-wide form's choice "the union nearest my workplace" (routed by its postal code).
NEAREST = "au-plus-pres"


def grouped_site_choices(sites: list[Site]) -> list:
    """Published sites grouped by the kind of structure (unions, branches, local unions...), by name."""
    ordered = sorted(sites, key=lambda s: (s.structure.get_kind_display(), s.structure.name.lower()))
    return [("", _("Choose…")), (NEAREST, _("The union nearest my workplace"))] + [
        (kind, [(site.slug, site.structure.name) for site in group])
        for kind, group in groupby(ordered, key=lambda s: s.structure.get_kind_display())
    ]


class JoinAnyForm(JoinForm):
    """The instance-wide form: the visitor picks the structure first."""

    site = forms.ChoiceField(
        label=_("The union you want to join"),
        error_messages={
            "required": _("Choose the union you want to join."),
            "invalid_choice": _("Choose the union you want to join."),
        },
    )

    field_order = ["site"]

    def __init__(self, *args, sites: list[Site], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {site.slug: site for site in sites}
        self.fields["site"].choices = grouped_site_choices(sites)
        self.order_fields(["site", *[name for name in self.fields if name != "site"]])

    def clean_site(self) -> Site | None:
        """The chosen site, or None for "the nearest to my workplace" (routed on submission)."""
        if self.cleaned_data.get("site") == NEAREST:
            return None
        site = self.sites.get(self.cleaned_data.get("site", ""))
        if site is None:
            raise forms.ValidationError(_("Choose the union you want to join."))
        return site


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"), choices=Status.choices)


class RemindForm(forms.Form):
    on = forms.DateField(
        label=_("Remind me on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Give a date, for example 12/03/2027.")},
    )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open (new, contacted, met)")), *Status.choices],
    )
    assignee = forms.ChoiceField(
        label=_("Followed by"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody yet"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
