"""Template tags of the composer used outside the workshop.

A news post's "share outside", a library photo's "send to the workshop".
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from terrain.atelier.access import atelier_access
from terrain.library.selectors import photo_share_refusal

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


@register.simple_tag(takes_context=True)
def share_photo_button(context, file) -> str:
    """A button sending the library photo ``file`` to its structure's workshop, for those who write there.

    While people can be identified on it without their consent, the button is disabled and
    says why. An open cooperative belongs to no structure: it has no workshop, no button.
    """
    request = context.get("request")
    if request is None or not request.user.is_authenticated or file.kind != "image":
        return ""
    if getattr(file.cooperative, "structure_id", None) is None:
        return ""
    if not atelier_access(user=request.user, structure=file.cooperative.structure).can_write:
        return ""
    return render_to_string(
        "atelier/compose/_share_photo.html", {"file": file, "refusal": photo_share_refusal(file)}, request=request
    )
