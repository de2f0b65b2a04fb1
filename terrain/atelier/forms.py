"""Forms of the composer and the workflow: they check input and say what is wrong, the services write."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.atelier.message_selectors import account_label
from terrain.atelier.models import ConnectedAccount
from terrain.networks import registry


class ComposerForm(forms.Form):
    """One text, a variant per network where needed, the accounts, a link, and the images' descriptions.

    ``accounts`` are the structure's usable accounts; a variant field exists for
    each of their networks (``variant_<network>``) and a description field for
    each image already attached (``alt_<image code>``).
    """

    title = forms.CharField(
        label=gettext_lazy("Title (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Shown in the calendar and as the newsletter's subject; never posted on networks."),
    )
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Write hashtags in the text, like #egalite."),
    )
    link = forms.URLField(
        label=gettext_lazy("Link (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    image = forms.FileField(label=gettext_lazy("Add an image"), required=False)
    image_alt = forms.CharField(label=gettext_lazy("Description of the new image"), max_length=1000, required=False)

    def __init__(self, *args, accounts: list[ConnectedAccount], images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accounts"] = forms.MultipleChoiceField(
            label=_("Publish to"),
            choices=[(a.code, account_label(a)) for a in accounts],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self._accounts = {a.code: a for a in accounts}
        self.networks = sorted({a.network for a in accounts}, key=registry.display_order)
        for network in self.networks:
            self.fields[f"variant_{network}"] = forms.CharField(
                label=_("Text for %(network)s") % {"network": registry.label(network)},
                max_length=10000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Leave empty to use the main text."),
            )
        self.images = list(images)
        for number, image in enumerate(self.images, start=1):
            self.fields[f"alt_{image.code}"] = forms.CharField(
                label=_("Description of image %(number)s") % {"number": number},
                max_length=1000,
                required=False,
            )

    def clean_accounts(self) -> list[ConnectedAccount]:
        # The codes resolve against the accounts already loaded: no second query.
        return [self._accounts[code] for code in self.cleaned_data.get("accounts", [])]

    @property
    def variants(self) -> dict[str, str]:
        return {n: self.cleaned_data.get(f"variant_{n}", "") for n in self.networks}

    @property
    def alt_texts(self) -> dict[str, str]:
        return {image.code: self.cleaned_data.get(f"alt_{image.code}", "") for image in self.images}

    def account_options(self):
        """Each account's checkbox with its account (the template labels those to reconnect)."""
        return [(choice, self._accounts[choice.data["value"]]) for choice in self["accounts"]]

    def variant_fields(self):
        return [(network, registry.label(network), self[f"variant_{network}"]) for network in self.networks]

    def alt_fields(self):
        return [(image, self[f"alt_{image.code}"]) for image in self.images]


class ScheduleForm(forms.Form):
    """A date and a time in the person's own time zone, turned into an aware instant.

    Shown inside the composer's form: its fields are required only when scheduling, so
    they carry no ``required`` attribute (the browser would refuse every other button of
    the form, and the autosave, while the day is empty); the server still asks for them.
    """

    use_required_attribute = False

    # The browser's date and time fields read ISO values only, whatever the language.
    date = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(label=gettext_lazy("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    @classmethod
    def initial_for(cls, message) -> dict:
        """A scheduled message's day and time in the viewer's time zone: "Reschedule" starts from them."""
        if message is None or message.scheduled_at is None:
            return {}
        local = timezone.localtime(message.scheduled_at)
        return {"date": local.date(), "time": local.time().replace(second=0, microsecond=0)}

    def clean(self):
        cleaned = super().clean()
        day, moment = cleaned.get("date"), cleaned.get("time")
        if day is None or moment is None:
            return cleaned
        zone = timezone.get_current_timezone()
        naive = datetime.combine(day, moment)
        at = timezone.make_aware(naive, zone)
        # A wall-clock time skipped when clocks go forward does not exist: say so, do not guess.
        # (A round trip through UTC: astimezone to the same zone would change nothing.)
        utc = at.astimezone(zoneinfo.ZoneInfo("UTC"))
        if utc.astimezone(zone).replace(tzinfo=None) != naive:
            raise forms.ValidationError(
                _("This time does not exist on that day (the clocks change). Choose another time.")
            )
        cleaned["at"] = utc
        return cleaned


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ChangesForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What should change?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
