"""Template helpers shared by every app."""

from __future__ import annotations

from django import template

from terrain.lib.urls import url_for_code

register = template.Library()


@register.filter
def code_url(code: str | None, name: str) -> str:
    """``{{ post.code|code_url:"news:post_detail" }}``: a fast ``{% url %}`` for views taking one code."""
    return url_for_code(name, code) if code else ""
