"""The inbox's marks on other pages: the menu's count of new threads, the workshop's tab."""

from __future__ import annotations

import html

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from terrain.core.menu import member_fact
from terrain.core.templatetags.terrain import ago
from terrain.inbox.models import ItemKind, Status
from terrain.inbox.tone import Tone
from terrain.lib.text import shorten
from terrain.lib.urls import url_for_code

register = template.Library()


def _badge(count: int | None) -> str:
    if not count:
        return ""
    spoken = ngettext(
        "%(counter)s new conversation in the inbox", "%(counter)s new conversations in the inbox", count
    ) % {"counter": count}
    return format_html(
        '<span class="badge inbox-badge"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        "99+" if count > 99 else count,
        spoken,
    )


@register.simple_tag(takes_context=True)
def inbox_badge(context) -> str:
    """New threads in the inboxes the member handles (the menu's fact ``inbox_new``); nothing at zero."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return _badge(member_fact(request, "inbox_new"))


@register.simple_tag
def inbox_structure_badge(structure, known: int | None = None) -> str:
    """New threads in one structure's inbox (the workshop's tab); ``known``: the count if the page
    has read it already (the inbox's list reads it with its rows)."""
    if known is None:
        from terrain.inbox.selectors import new_count

        known = new_count(structure)
    return _badge(known)


def _labels(choices) -> dict[str, str]:
    """A choice class's labels, translated now (``get_FOO_display`` costs 60 µs a call)."""
    return {str(value): str(label) for value, label in choices.choices}


def _e(value) -> str:
    """``django.utils.html.escape`` without its lazy-string wrapper: the same characters escaped
    (``& < > " '``), a tenth of the cost, for the rows below that escape twenty values each."""
    return html.escape(str(value))


class _Words:
    """The row's words in the page's language, translated once per list instead of once a row."""

    def __init__(self) -> None:
        self.kinds, self.tones, self.statuses = _labels(ItemKind), _labels(Tone), _labels(Status)
        self.someone = gettext("Someone")
        self.nobody = gettext("Assigned to nobody")

    def assigned(self, name) -> str:
        return gettext("Assigned to %(name)s") % {"name": name}

    def tick(self, who: str) -> str:
        return gettext("Tick the conversation with %(name)s") % {"name": who}


@register.simple_tag
def inbox_rows(rows) -> str:
    """The conversations of the inbox's list (``selectors.conversations_page`` rows), drawn in
    Python: the rows through the template were most of the page's time (CONTRIBUTING, "Hot
    reads"). Every value from outside goes through ``_e``: a test sends markup and right-to-left
    characters in every field. Names are isolated with ``<bdi>``."""
    words = _Words()
    return mark_safe("\n".join(_row(row, words) for row in rows))  # noqa: S308 (escaped in _row)


def _row(row, words: _Words) -> str:
    e = _e
    who = row.first_author or row.first_handle
    code = e(row.code)
    why = ""
    tone_attributes = ""
    if row.tone_reason:
        tone_attributes = f' tabindex="0" aria-describedby="why-{code}"'
        why = f'<span class="inbox-tone__why" role="tooltip" id="why-{code}">{e(row.tone_reason)}</span>'
    handle = (
        f' <span class="muted small">@<bdi>{e(row.first_handle)}</bdi></span>'
        if row.first_author and row.first_handle
        else ""
    )
    assigned = words.assigned(row.assignee) if row.assignee else words.nobody
    count = ngettext("%(counter)s message", "%(counter)s messages", row.items_count) % {"counter": row.items_count}
    watch = f" ({e(row.watch.name)})" if row.watch_id else ""
    tags = "".join(f'<span class="tag">{e(tag)}</span>' for tag in row.tags or ())
    return (
        f'<li class="card inbox-row inbox-row--{e(row.status)}">'
        f'<input type="checkbox" name="conversations" value="{code}" form="bulk-close" id="tick-{code}"'
        ' class="inbox-row__tick">'
        f'<label for="tick-{code}" class="visually-hidden">{e(words.tick(who))}</label>'
        f'<div class="inbox-row__body"><p class="inbox-row__meta small"><span>{e(row.network_label)}</span>'
        f" · <span>{e(words.kinds.get(row.kind, row.kind))}</span>{watch}"
        f' · <span class="inbox-tone inbox-tone--{e(row.tone)}"{tone_attributes}>'
        f"{e(words.tones.get(row.tone, row.tone))}{why}</span>"
        f' · <span class="tag">{e(words.statuses.get(row.status, row.status))}</span></p>'
        f'<h3 class="inbox-row__title"><a href="{e(url_for_code("inbox:thread", row.code))}">'
        f"<bdi>{e(who or words.someone)}</bdi></a>{handle}</h3>"
        f'<p class="inbox-row__text">{e(shorten(row.first_text or "", 160))}</p>'
        f'<p class="small muted row"><span><time datetime="{e(row.last_item_at.isoformat())}">'
        f"{e(ago(row.last_item_at))}</time></span>"
        f"<span>{e(count)}</span><span>{e(assigned)}</span>{tags}</p></div></li>"
    )


@register.simple_tag
def filter_field(field) -> str:
    """A filter of the list (a choice or a short text) with its label, drawn in Python: Django's
    widget templates (a template per option) cost as much as the rest of the page. An invalid
    filter is left out of the list (``FilterForm.values``): no error to show here."""
    e = _e
    value = field.value()
    value = "" if value is None else str(value)
    name, id_ = e(field.html_name), e(field.id_for_label)
    if isinstance(field.field, forms.ChoiceField):
        options = "".join(
            f'<option value="{e(key)}"{" selected" if str(key) == value else ""}>{e(label)}</option>'
            for key, label in field.field.choices
        )
        control = f'<select name="{name}" id="{id_}">{options}</select>'
    else:
        control = (
            f'<input type="text" name="{name}" id="{id_}" value="{e(value)}"'
            f' maxlength="{int(field.field.max_length or 100)}">'
        )
    return mark_safe(  # noqa: S308 (every value escaped above)
        f'<div class="field"><label for="{id_}">{e(field.label)}</label>{control}</div>'
    )
