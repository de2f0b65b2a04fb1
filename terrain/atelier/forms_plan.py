"""Forms of the strategy, the lexicon, the queue, the calendar and the series. They check input; services write."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.atelier.models import Goal, Recurrence
from terrain.networks import registry

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class StrategyForm(forms.Form):
    editorial_line = forms.CharField(
        label=_("Editorial line"),
        help_text=_("How you speak and what you speak about: tone, topics, what you never publish."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
    )
    goals = forms.MultipleChoiceField(
        label=_("Goals"), choices=Goal.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    approval_required = forms.BooleanField(
        label=_("Messages need approval before publication"),
        help_text=_("Untick to let writers schedule their messages themselves."),
        required=False,
    )
    writers = PersonChoiceField(
        label=_("Writers"),
        help_text=_("Members who write and submit messages. Officials always may."),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    approvers = PersonChoiceField(
        label=_("Approvers"),
        help_text=_("Members who approve and schedule messages. Officials always may."),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["writers"].queryset = members
        self.fields["approvers"].queryset = members
        for value, label in registry.choices():
            self.fields[f"cadence_{value}"] = forms.IntegerField(
                label=label, min_value=0, max_value=50, required=False, widget=forms.NumberInput(attrs={"size": 3})
            )

    def cadence_fields(self):
        return [self[f"cadence_{value}"] for value in registry.available_kinds()]

    def cadences(self) -> dict[str, int]:
        return {value: self.cleaned_data.get(f"cadence_{value}") or 0 for value in registry.available_kinds()}


class AudienceForm(forms.Form):
    name = forms.CharField(
        label=_("Audience"),
        max_length=80,
        help_text=_("For example: members, employees, managers, the public, journalists."),
        widget=forms.TextInput(attrs={"list": "audience-suggestions"}),
    )
    networks = forms.MultipleChoiceField(
        label=_("Networks to reach them"), choices=registry.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class LexiconForm(forms.Form):
    acronym = forms.CharField(label=_("Acronym"), max_length=20)
    expansion = forms.CharField(label=_("In plain words"), max_length=200)


class SlotForm(forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    local_time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))


class MoveForm(forms.Form):
    """Where a message goes on the calendar: a day, and a time (kept from before when left empty)."""

    date = forms.DateField(label=_("New day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label=_("New time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class RecurrenceForm(forms.Form):
    frequency = forms.ChoiceField(label=_("Repeat"), choices=Recurrence.Frequency.choices)
    interval = forms.IntegerField(label=_("Every how many days, weeks or months"), min_value=1, max_value=52, initial=1)
    starts_on = forms.DateField(
        label=_("First publication on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    local_time = forms.TimeField(label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end must come after the start."))
        return data

    @classmethod
    def initial_for(cls, message) -> dict:
        start = timezone.localtime(message.scheduled_at) if message.scheduled_at else timezone.localtime()
        if not message.scheduled_at:
            start += timedelta(days=1)
        return {
            "frequency": Recurrence.Frequency.WEEKLY,
            "interval": 1,
            "starts_on": start.date(),
            "local_time": start.time().replace(second=0, microsecond=0),
            "ends_on": start.date() + timedelta(weeks=12),
        }


class SeriesForm(forms.Form):
    """Changes to a series, applied to the occurrences still to come."""

    frequency = forms.ChoiceField(label=_("Repeat"), choices=Recurrence.Frequency.choices)
    interval = forms.IntegerField(label=_("Every how many days, weeks or months"), min_value=1, max_value=52)
    local_time = forms.TimeField(label=_("At"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    body = forms.CharField(
        label=_("Text of the coming publications"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
