"""Every view must have a test showing that an outsider is refused.

A test declares it with ``@pytest.mark.outsider("namespace:name")``. This test
walks the whole URLconf and fails for any view whose code lives in one of
Terrain's installed apps that no test marks, wherever it is mounted, except the
few that are public on purpose (listed below with the reason).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from django.urls.resolvers import RegexPattern

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
    "accounts:set_language",
    # Tracked short links, the newsletter's subscription, confirmation and unsubscription, the Atom feed.
    "links:follow",
    "newsletter:subscribe",
    "newsletter:confirm",
    "newsletter:unsubscribe",
    "newsletter:feed",
    # Join forms: anyone may ask to join a union, without an account (terrain/adhesions/views_public.py);
    # a site's form and thank-you page are a 404 while the site is unpublished (adhesions tests).
    "adhesions_public:join_any",
    "adhesions_public:join",
    "adhesions_public:thanks",
    # The agenda of the public sites and of the instance: published events of published sites
    # only, drafts a 404 (terrain/mobilisation/tests/test_public.py); "I'll be there" is anonymous.
    "mobilisation_map",
    "agenda:list",
    "agenda:event",
    "agenda:ics",
    "agenda:image",
    "agenda:attend",
    # Consultations on a published site: anyone answers without an account (a draft is a 404);
    # an invitation link answers once (terrain/consultations/tests/test_public.py).
    "consultations_public:index",
    "consultations_public:answer",
    "consultations_public:invited",
    # The locator: published sites only, for anyone (terrain/places/tests/test_views.py).
    "places:locator",
    "places:embed",
    "places:suggestions",
}


def _is_ours(callback) -> bool:
    """Whether a view's code is the project's (any app in this repository), not a library's."""
    # A class-based view's function is made in Django's module: its class says where it lives.
    module = sys.modules[getattr(callback, "view_class", callback).__module__]
    source = Path(getattr(module, "__file__", None) or "/").resolve()
    return source.is_relative_to(Path(settings.BASE_DIR).resolve()) and "site-packages" not in source.parts


def _named_views(resolver=None, namespaces: tuple[str, ...] = ()):
    """Every view of the project in the whole URLconf, by the name ``reverse`` takes.

    No list of namespaces: a view is ours when its code lives in this repository,
    whatever app holds it and wherever it is mounted (Django's admin is not). A
    view without a name cannot be marked: it is listed as ``<unnamed ...>``, so
    the test fails for it too.
    """
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_views(pattern, (*namespaces, pattern.namespace) if pattern.namespace else namespaces)
        elif isinstance(pattern, URLPattern) and _is_ours(pattern.callback):
            name = pattern.name or f"<unnamed {pattern.callback.__module__}.{pattern.callback.__name__}>"
            yield ":".join((*namespaces, name))


def _marked_views() -> set[str]:
    """Arguments of every ``pytest.mark.outsider(...)`` in Terrain's test files."""
    marked: set[str] = set()
    root = Path(__file__).resolve().parents[2]
    for file in root.rglob("tests/test_*.py"):
        tree = ast.parse(file.read_text(encoding="utf-8"))
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


def _a_view_of_a_new_app(request):
    raise AssertionError("never called")


def test_a_view_of_an_app_mounted_anywhere_is_watched(settings):
    # A new tool mounted under its own namespace, and a view left without a name.
    nested = ([path("sujets/", _a_view_of_a_new_app, name="topics")], "forum")
    patterns = [path("forum/", include(nested)), path("brut/", _a_view_of_a_new_app)]
    views = set(_named_views(URLResolver(RegexPattern(r"^/"), patterns)))
    assert "forum:topics" in views
    assert any(view.startswith("<unnamed ") for view in views)
