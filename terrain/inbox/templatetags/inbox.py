"""The inbox's marks on other pages: the menu's count of new threads, the workshop's tab."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from terrain.core.menu import member_fact

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
