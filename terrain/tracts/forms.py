"""Forms of the tractothèque: a tract (upload or pick a library file), the filters, a reuse."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.structures.models import Structure
from terrain.tracts.models import TractReuse
from terrain.tracts.themes import MAX_THEMES, free_themes, instance_themes, themes_clean


class TractForm(forms.Form):
    upload = forms.FileField(
        label=_("Upload the tract"),
        required=False,
        help_text=_("A PDF, an image or an OpenDocument file. It is added to the cooperative's library."),
    )
    existing = forms.ModelChoiceField(
        label=_("Or choose a file already in the library"),
        queryset=None,
        required=False,
        empty_label=_("— none —"),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("The file's name if empty."))
    description = forms.CharField(
        label=_("Short description"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    date = forms.DateField(
        label=_("Date"),
        help_text=_("The day of the action, or of the publication."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    other_themes = forms.CharField(
        label=_("Other themes"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas, e.g. “night work, canteen”."),
    )
    structure = forms.ModelChoiceField(label=_("From the structure"), queryset=None, required=False)

    def __init__(self, *args, files_queryset=None, structures=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["upload"]
            del self.fields["existing"]
        else:
            self.fields["existing"].queryset = files_queryset
        self.fields["themes"].choices = [(t, t) for t in instance_themes()]
        structure_field = self.fields["structure"]
        structure_field.queryset = Structure.objects.filter(pk__in=[s.pk for s in structures]).order_by("depth", "name")
        structure_field.to_field_name = "code"
        if structures:
            structure_field.required = True
            structure_field.empty_label = None
        else:
            del self.fields["structure"]
        if not self.is_bound and "date" not in self.initial:
            self.initial["date"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not self.editing and "upload" not in self.errors and "existing" not in self.errors:
            if not data.get("upload") and not data.get("existing"):
                self.add_error("upload", _("Upload a file, or choose one already in the library."))
            elif data.get("upload") and data.get("existing"):
                self.add_error("existing", _("Either upload a file or choose one, not both."))
        themes = themes_clean([*data.get("themes", []), *free_themes(data.get("other_themes", ""))])
        if len(themes) > MAX_THEMES:
            self.add_error("other_themes", _("At most %(count)d themes.") % {"count": MAX_THEMES})
        data["all_themes"] = themes
        return data

    @classmethod
    def initial_for(cls, tract) -> dict:
        known = set(instance_themes())
        return {
            "title": tract.title,
            "description": tract.description,
            "date": tract.date,
            "themes": [t for t in tract.themes if t in known],
            "other_themes": ", ".join(t for t in tract.themes if t not in known),
            "structure": tract.structure.code if tract.structure_id else None,
        }


class TractFilterForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    structure = forms.ChoiceField(label=_("Structure"), required=False)

    def __init__(self, *args, themes=(), structures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All themes")), *themes]
        self.fields["structure"].choices = [("", _("All structures")), *((s.code, s.name) for s in structures)]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end comes before the start."))
        return data


class ReuseForm(forms.Form):
    kind = forms.ChoiceField(label=_("What did you do with it?"), choices=TractReuse.Kind.choices)
