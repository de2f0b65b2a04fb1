"""Forms of the elections kit: they check what is typed; the services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.elections.models import Candidate, College, Election

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ElectionForm(forms.ModelForm):
    class Meta:
        model = Election
        fields = [
            "title",
            "employer",
            "vote_date",
            "second_round_date",
            "mode",
            "how_to_vote",
            "show_names",
            "reminder_days",
        ]
        widgets = {
            "vote_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "second_round_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "how_to_vote": forms.Textarea(attrs={"rows": 4}),
        }


class CollegeForm(forms.ModelForm):
    class Meta:
        model = College
        fields = ["name", "seats", "electorate_women", "electorate_men"]
        help_texts = {"name": _("For example: Ouvriers et employés, Techniciens et agents de maîtrise, Cadres.")}


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    gender = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Candidate.Gender.choices])
    job = forms.CharField(label=_("Job (optional)"), max_length=120, required=False)


class BaseCandidateFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].label = pgettext_lazy("rank on a list", "Place")
        form.fields["DELETE"].label = _("Remove")

    def candidates(self) -> list[dict]:
        """The rows kept, in the order of their place numbers (rows without one last, as typed);
        blank rows and rows ticked "Remove" left out."""
        rows = [
            (index, form.cleaned_data)
            for index, form in enumerate(self.forms)
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: (row[1].get("ORDER") is None, row[1].get("ORDER") or 0, row[0]))
        return [data for _index, data in rows]


CandidateFormSet = forms.formset_factory(
    CandidateForm, formset=BaseCandidateFormSet, extra=3, can_order=True, can_delete=True, max_num=60, validate_max=True
)


class StepForm(forms.Form):
    due_date = forms.DateField(label=_("Date"), **DATE)
    done = forms.BooleanField(label=_("Done"), required=False)


class TractsForm(forms.Form):
    def __init__(self, *args, tracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracts = {t.code: t for t in tracts}
        self.fields["tracts"] = forms.MultipleChoiceField(
            label=_("Tracts for the campaign"),
            choices=[(t.code, f"{t.title} ({t.date:%d/%m/%Y})") for t in tracts],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
