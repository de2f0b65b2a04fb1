"""The officials' form of a public site. It checks input; :mod:`terrain.public.services` writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.public.models import Site


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = [
            "slug",
            "tagline",
            "about",
            "join_text",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "email",
            "phone",
            "hours",
            "colour",
            "logo",
            "custom_domain",
        ]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 6}),
            "join_text": forms.Textarea(attrs={"rows": 4}),
            "hours": forms.Textarea(attrs={"rows": 3}),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }
        help_texts = {
            "postal_code": _("Five digits, for example 69003."),
            "latitude": _("Optional: where the locator shows you. Left empty, the town's centre is used."),
            "hours": _("For example: Tuesday and Thursday, 14:00 to 18:00."),
        }

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError(_("A postal code has five digits, for example 69003."), code="invalid")
        return value


class DocumentForm(forms.Form):
    file = forms.ChoiceField(label=_("File of the library"))
    title = forms.CharField(
        label=_("Title on the site"), max_length=200, required=False, help_text=_("Left empty: the file's name.")
    )
    description = forms.CharField(label=_("Description"), max_length=500, required=False)

    def __init__(self, *args, files_offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.files_offered = {file.code: file for file in files_offered}
        self.fields["file"].choices = [("", "—"), *((file.code, file.name) for file in files_offered)]
