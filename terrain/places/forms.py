"""The locator's search form (GET: its pages are the same for everyone and cacheable)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.structures.models import Structure, StructureKind


class LocatorForm(forms.Form):
    q = forms.CharField(
        label=_("Postal code or town"),
        max_length=100,
        required=False,
        help_text=_("For example 69003, Saint-Étienne or L'Île-Rousse."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "search", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(label=_("Kind of structure"), required=False)
    federation = forms.ChoiceField(label=_("Sector (federation)"), required=False)
    # Not fields of the page's form: a suggestion's link or a shared position sets them.
    commune = forms.RegexField(regex=r"^[0-9AB]{5}$", required=False)
    lat = forms.FloatField(min_value=-90, max_value=90, required=False)
    lon = forms.FloatField(min_value=-180, max_value=180, required=False)

    def __init__(self, *args, federations: list[Structure], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *StructureKind.choices]
        self.fields["federation"].choices = [("", _("All sectors")), *((f.code, f.name) for f in federations)]
        self.federations = {f.code: f for f in federations}

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("A position needs both its latitude and its longitude."), code="position")
        return data

    @property
    def chosen_federation(self) -> Structure | None:
        return self.federations.get(self.cleaned_data.get("federation") or "")
