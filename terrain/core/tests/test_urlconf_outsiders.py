"""Every view must have a test showing that an outsider is refused.

A test declares it with ``@pytest.mark.outsider("namespace:name")``. This test
walks the URLconf and fails for any named view of Terrain that no test marks,
except the few that are public on purpose (listed below with the reason).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

# Public on purpose: signing in, recovering an account, health probe, help, language.
PUBLIC_VIEWS = {
    "atelier_media",  # signed, expiring token (terrain/atelier/tests/test_media.py)
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation_accept",
    "core:health",
    "core:help",
    "core:help_topic",
    "core:set_language",
    # Tracked short links, the newsletter's subscription, confirmation and unsubscription, the Atom feed.
    "links:follow",
    "newsletter:subscribe",
    "newsletter:confirm",
    "newsletter:unsubscribe",
    "newsletter:feed",
}
TERRAIN_NAMESPACES = {
    "core",
    "accounts",
    "structures",
    "cooperatives",
    "news",
    "feed",
    "atelier",
    "relays",
    "insights",
    "newsletter",
    "links",
    "demo",
}


def _named_views(resolver=None, namespace: str | None = None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _named_views(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name and namespace in TERRAIN_NAMESPACES:
            yield f"{namespace}:{pattern.name}"
        elif isinstance(pattern, URLPattern) and pattern.name and namespace is None:
            yield pattern.name  # a view at the root of the URLconf, outside any app


def _marked_views() -> set[str]:
    """Arguments of every ``pytest.mark.outsider(...)`` in Terrain's test files."""
    marked: set[str] = set()
    root = Path(__file__).resolve().parents[2]
    for path in root.rglob("tests/test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "outsider"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "mark"
            ):
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        marked.add(arg.value)
    return marked


def test_every_view_has_an_outsider_test():
    views = set(_named_views())
    assert views, "the URLconf walker found no view"
    missing = sorted(views - PUBLIC_VIEWS - _marked_views())
    assert not missing, f"views without an outsider-refused test: {missing}"


def test_marks_name_real_views():
    unknown = sorted(_marked_views() - set(_named_views()))
    assert not unknown, f"outsider marks naming no view: {unknown}"
