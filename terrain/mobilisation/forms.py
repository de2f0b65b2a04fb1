"""The officials' event form and the public filters. They check input; services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from terrain.mobilisation.models import Event, EventKind

LOCAL_DATETIME = "%Y-%m-%dT%H:%M"


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label=_("Start"),
        input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        error_messages={"required": _("Give the day and time it starts."), "invalid": _("Give a day and a time.")},
    )
    ends_at = forms.DateTimeField(
        label=_("End"),
        input_formats=[LOCAL_DATETIME, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_DATETIME),
        error_messages={"required": _("Give the day and time it ends."), "invalid": _("Give a day and a time.")},
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "repeat_until",
            "description",
            "place_name",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "co_organisers",
            "image",
            "image_alt",
        ]
        widgets = {
            # No "currently" link: uploads are not served; the public page shows the image.
            "image": forms.FileInput(attrs={"accept": "image/*"}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "repeat_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "repeat_until": _(
                "Drop-in hours only: they come back every week on the same day and hours until this day. "
                "Leave empty for a single date."
            ),
            "postal_code": _("Five digits, for example 13001."),
            "latitude": _("Optional: where the map shows it, for example 43.2965 and 5.3698."),
            "image_alt": _("Required with an image: what it shows, for people who cannot see it."),
        }
        error_messages = {"title": {"required": _("Give the event a title.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.image:
            self.fields["remove_image"] = forms.BooleanField(label=_("Remove the image"), required=False)
            self.fields["image"].help_text = _("An image is attached: choose another one to replace it.")

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError(_("A postal code has five digits, for example 13001."), code="invalid")
        return value


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason, shown on the event's page"), max_length=300, required=False)


class AgendaFilter(forms.Form):
    type = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *EventKind.choices])


class MapFilter(AgendaFilter):
    departement = forms.RegexField(
        label=_("Département"),
        required=False,
        regex=r"^(?:\d{2,3}|2[AaBb])$",
        max_length=3,
        help_text=_("Its number, for example 13."),
    )
