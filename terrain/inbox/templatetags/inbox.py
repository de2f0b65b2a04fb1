"""The inbox's marks on other pages: the menu's count of new threads, the workshop's tab."""

from __future__ import annotations

from django import forms, template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html, format_html_join
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
def inbox_structure_badge(structure) -> str:
    """New threads in one structure's inbox (the workshop's tab)."""
    from terrain.inbox.selectors import new_count

    return _badge(new_count(structure))


def _label(choices, value: str) -> str:
    """A choice's label (``get_FOO_display`` costs 60 µs a call: fifty rows, three each)."""
    try:
        return choices(value).label
    except ValueError:
        return value


@register.simple_tag
def inbox_row(row) -> str:
    """One conversation of the inbox's list (``selectors.conversations_page`` rows), drawn in Python:
    the rows through the template were most of the page's time (CONTRIBUTING, "Hot reads"). One
    string, every value from outside passed through ``escape`` (``e`` below): a test sends
    markup and right-to-left characters in every field. Names are isolated with ``<bdi>``."""
    e = escape
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
    assigned = (
        gettext("Assigned to %(name)s") % {"name": row.assignee} if row.assignee else gettext("Assigned to nobody")
    )
    count = ngettext("%(counter)s message", "%(counter)s messages", row.items_count) % {"counter": row.items_count}
    watch = f" ({e(row.watch.name)})" if row.watch_id else ""
    tags = "".join(f'<span class="tag">{e(tag)}</span>' for tag in row.tags or ())
    tick = gettext("Tick the conversation with %(name)s") % {"name": who}
    local = timezone.localtime(row.last_item_at)
    return mark_safe(  # noqa: S308 (every value above and below is escaped)
        f'<li class="card inbox-row inbox-row--{e(row.status)}">'
        f'<input type="checkbox" name="conversations" value="{code}" form="bulk-close" id="tick-{code}"'
        ' class="inbox-row__tick">'
        f'<label for="tick-{code}" class="visually-hidden">{e(tick)}</label>'
        f'<div class="inbox-row__body"><p class="inbox-row__meta small"><span>{e(row.network_label)}</span>'
        f" · <span>{e(_label(ItemKind, row.kind))}</span>{watch}"
        f' · <span class="inbox-tone inbox-tone--{e(row.tone)}"{tone_attributes}>'
        f"{e(_label(Tone, row.tone))}{why}</span>"
        f' · <span class="tag">{e(_label(Status, row.status))}</span></p>'
        f'<h3 class="inbox-row__title"><a href="{e(url_for_code("inbox:thread", row.code))}">'
        f"<bdi>{e(who or gettext('Someone'))}</bdi></a>{handle}</h3>"
        f'<p class="inbox-row__text">{e(shorten(row.first_text or "", 160))}</p>'
        f'<p class="small muted row"><span><time datetime="{e(row.last_item_at.isoformat())}"'
        f' title="{e(date_format(local, "DATETIME_FORMAT"))}">{e(ago(row.last_item_at))}</time></span>'
        f"<span>{e(count)}</span><span>{e(assigned)}</span>{tags}</p></div></li>"
    )


@register.simple_tag
def filter_field(field) -> str:
    """A filter of the list (a choice or a short text) with its label, drawn in Python: Django's
    widget templates (a template per option) cost as much as the rest of the page. An invalid
    filter is left out of the list (``FilterForm.values``): no error to show here."""
    value = field.value()
    value = "" if value is None else str(value)
    if isinstance(field.field, forms.ChoiceField):
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == value else "", label) for key, label in field.field.choices),
        )
        control = format_html('<select name="{}" id="{}">{}</select>', field.html_name, field.id_for_label, options)
    else:
        control = format_html(
            '<input type="text" name="{}" id="{}" value="{}" maxlength="{}">',
            field.html_name,
            field.id_for_label,
            value,
            field.field.max_length or 100,
        )
    return format_html(
        '<div class="field"><label for="{}">{}</label>{}</div>', field.id_for_label, field.label, control
    )
