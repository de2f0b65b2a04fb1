"""Forms of the inbox pages. They check what was typed; the services write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terrain.inbox.models import ItemKind, Status
from terrain.inbox.services import TAGS_MAX, normalise_tags
from terrain.inbox.tone import Tone
from terrain.networks import registry

OPEN = "open"  # the default status filter: new and in progress
ALL = "all"
STATUS_FILTERS = {OPEN: (Status.NEW, Status.IN_PROGRESS), ALL: tuple(Status.values)} | {
    value: (value,) for value in Status.values
}


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _with_any(choices, label=None) -> list[tuple[str, str]]:
    return [("", label or _("All")), *choices]


class FilterForm(forms.Form):
    """The list's filters, read from the address (GET); an unknown value is ignored."""

    status = forms.ChoiceField(
        label=pgettext_lazy("conversation", "Status"),
        required=False,
        choices=[(OPEN, _("To handle (new and in progress)")), *Status.choices, (ALL, _("All"))],
    )
    network = forms.ChoiceField(label=_("Network"), required=False)
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody"))],
    )
    tone = forms.ChoiceField(label=_("Tone"), required=False, choices=_with_any(Tone.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_with_any(ItemKind.choices))
    tag = forms.CharField(label=_("Tag"), required=False, max_length=30)
    q = forms.CharField(label=_("Words"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = _with_any(registry.choices())

    def values(self) -> dict[str, str]:
        """The valid filters, an invalid one left out (the page still shows)."""
        self.is_valid()  # fills cleaned_data with the valid fields, whatever the others
        cleaned = dict(self.cleaned_data)
        cleaned["status"] = cleaned.get("status") or OPEN
        cleaned["tag"] = (normalise_tags(cleaned.get("tag") or "") or [""])[0]
        return {name: (value or "").strip() if isinstance(value, str) else value for name, value in cleaned.items()}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=pgettext_lazy("conversation", "Status"), choices=Status.choices)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assigned to"), queryset=None, required=False, empty_label=_("Nobody"), to_field_name="code"
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = team


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, %(max)s at most.") % {"max": TAGS_MAX},
    )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data["tags"]
        if len([part for part in raw.split(",") if part.strip()]) > TAGS_MAX:
            raise forms.ValidationError(_("%(max)s tags at most.") % {"max": TAGS_MAX})
        return normalise_tags(raw)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the team sees it: never shown outside."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "note_%s")  # beside the answer's form, on the same page
        super().__init__(*args, **kwargs)


class ReplyForm(forms.Form):
    item = forms.ChoiceField(label=_("Answer to"))
    text = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, items, **kwargs):
        kwargs.setdefault("auto_id", "answer_%s")  # beside the note's form, on the same page
        super().__init__(*args, **kwargs)
        self.items = {item.code: item for item in items}
        self.fields["item"].choices = [
            (item.code, f"{item.author_name or item.author_handle or '?'} · {_when(item.created_at)}") for item in items
        ]

    def clean_item(self):
        return self.items[self.cleaned_data["item"]]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write the answer first."))
        return text


class SavedReplyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
