from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terrain.search.analysis import MAX_QUERY_LENGTH
from terrain.search.registry import kinds


class SearchForm(forms.Form):
    """The search's GET form: the words, then the filters (kind, cooperative, dates)."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH)
    type = forms.ChoiceField(label=_("Kind"), required=False)
    cooperative = forms.TypedChoiceField(label=_("Cooperative"), required=False, coerce=int, empty_value=None)
    depuis = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    jusqu = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, cooperatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "maxlength": MAX_QUERY_LENGTH})
        self.fields["type"].choices = [("", _("Everything"))] + [(k.key, k.label) for k in kinds()]
        self.fields["cooperative"].choices = [("", _("All my cooperatives"))] + [(c.pk, c.name) for c in cooperatives]
        for name in ("depuis", "jusqu"):
            self.fields[name].error_messages["invalid"] = _("Enter a date, for example 31/01/2026.")

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def clean(self):
        data = super().clean()
        since, until = data.get("depuis"), data.get("jusqu")
        if since and until and since > until:
            self.add_error("jusqu", ValidationError(_("This date comes before the first one."), code="order"))
        return data

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The dates as aware datetimes: from the start of ``depuis`` to the end of ``jusqu``."""
        since, until = self.cleaned_data.get("depuis"), self.cleaned_data.get("jusqu")
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(since, time.min, tzinfo=zone) if since else None,
            datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone) if until else None,
        )
