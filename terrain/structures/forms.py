"""Forms of the structure pages. They check input; the services do the writing."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from terrain.structures.models import OfficialRole, Structure
from terrain.structures.selectors import kinds_allowed_under

# Metropolitan départements 01-95 (Corsica 2A and 2B) and overseas 971-976.
DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")


class StructureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    departement = forms.CharField(
        label=_("Département number"),
        help_text=_("Optional. For example 69, 2A or 974."),
        max_length=3,
        required=False,
    )
    commune = forms.CharField(label=_("Town"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"),
        help_text=_("Optional. Who it gathers, where, what it does."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_departement(self) -> str:
        value = self.cleaned_data["departement"].strip().upper()
        if value and not DEPARTEMENT_RE.match(value):
            raise ValidationError(_("Enter a département number, such as 69, 2A or 974."), code="invalid")
        return value


class StructureChildForm(StructureForm):
    kind = forms.ChoiceField(label=_("Type"))
    official_email = forms.EmailField(
        label=_("E-mail address of its first official (optional)"),
        help_text=_(
            "The person receives an invitation: they join the new structure and take the mandate once they accept it."
        ),
        required=False,
    )
    official_role = forms.ChoiceField(
        label=_("Their mandate"), choices=OfficialRole.choices, initial=OfficialRole.SECRETAIRE, required=False
    )

    field_order = ["kind", "name", "departement", "commune", "description", "official_email", "official_role"]

    def __init__(self, *args, parent: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_allowed_under(parent)


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person receives an invitation by e-mail and joins once they accept it."),
    )


class OfficialAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the member"),
        help_text=_("The person must already be a member of the structure."),
    )
    role = forms.ChoiceField(label=_("Mandate"), choices=OfficialRole.choices)
