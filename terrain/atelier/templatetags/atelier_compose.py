"""Template tags of the composer used outside the workshop (the news post's "share outside")."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from terrain.atelier.access import atelier_access

register = template.Library()


@register.simple_tag(takes_context=True)
def share_outside_button(context, post) -> str:
    """A button turning ``post`` into a draft of its structure's workshop, for those who write there.

    Used on the post's own page only, so that a feed of many cards costs no
    query for it; a cooperative that belongs to no structure has no workshop.
    """
    request = context.get("request")
    structure_id = getattr(post.cooperative, "structure_id", None)
    if request is None or structure_id is None or not request.user.is_authenticated:
        return ""
    structure = post.cooperative.structure
    if not atelier_access(user=request.user, structure=structure).can_write:
        return ""
    return render_to_string("atelier/compose/_share_outside.html", {"post": post}, request=request)
