"""Helpers of the feed tests."""

from __future__ import annotations

import re

HTMX = {"HTTP_HX_REQUEST": "true"}


def attribute(html: str, name: str, element_id: str) -> str:
    """The value of attribute ``name`` on the element with id ``element_id`` (entities decoded)."""
    match = re.search(rf'<[^>]*id="{element_id}"[^>]*>', html, re.S)
    assert match, f"no element #{element_id}"
    value = re.search(rf'{name}="([^"]*)"', match.group(0))
    assert value, f"no {name} on #{element_id}"
    return value.group(1).replace("&amp;", "&")
