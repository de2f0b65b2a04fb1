"""Forms of the petitions. They check input; :mod:`terrain.petitions.services` writes."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.petitions.models import Petition

POSTAL_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z -]{1,9}$")


class PetitionForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = ["title", "text", "goal", "image", "image_alt", "ends_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "text": _("What you ask, of whom, and why. Everything here is public once the petition is open."),
            "goal": _("The number of signatures you aim for: the page shows how far along you are."),
            "image_alt": _("Needed with an image: what it shows, for people who cannot see it."),
            "ends_on": _("Optional: signatures are refused after this day."),
        }

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        if image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned


class SignatureForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send you a link to confirm: your signature counts once you click it."),
    )
    postal_code = forms.CharField(label=_("Postal code (optional)"), max_length=10, required=False)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the page only if you tick the box below."),
    )
    show_name = forms.BooleanField(
        label=_("Show my first name, the initial of my last name and my comment on the page"),
        required=False,
    )
    # Left empty by people, filled in by robots; hidden from sight and from screen readers.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postal_code"].widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not POSTAL_CODE.match(value):
            raise forms.ValidationError(_("This does not look like a postal code, for example 69003."), code="invalid")
        return value
