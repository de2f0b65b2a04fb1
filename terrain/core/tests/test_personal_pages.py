"""Pages that list members or show personal data are never kept by a cache: ``private, no-store``.

Union membership is special-category data (GDPR art. 9). Each such view carries
``terrain.lib.http.personal_data``; this test walks the URLconf and fails for a
listed view without it, and for any view of the structures (every one of their
pages says who belongs to which union). A new page showing members joins the list.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from terrain.accounts.services import invitation_create
from terrain.newsletter.services import channel_enable

PERSONAL_VIEWS = {
    "accounts:invitation_accept",
    "accounts:invitations",
    "accounts:invitation_respond",
    "accounts:invite",
    "accounts:profile_edit",
    "accounts:profile",
    "cooperatives:members",
    "cooperatives:invite",
    "consultations:results",
    "consultations:export",
    "consultations:invite",
    "faq:proposals",
    "faq:proposal_answer",
    "inbox_watch:list",  # watched words may name people
    "inbox_watch:new",
    "inbox_watch:edit",
    "inbox_watch:delete",
    "modeles:fill",
    "modeles:offered_fill",
    "newsletter:manage",
    "newsletter:subscriber_remove",
    "petitions:export",
}
# Every page of these namespaces is personal.
# Elections: candidates are named; the inbox: what outsiders wrote to a structure.
PERSONAL_NAMESPACES = {"structures", "adhesions", "elections", "inbox", "inbox_crisis"}


def _views(resolver=None, namespace: str | None = None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern.callback


def test_every_personal_view_carries_the_decorator():
    views = dict(_views())
    assert views.keys() >= PERSONAL_VIEWS, PERSONAL_VIEWS - views.keys()
    expected = PERSONAL_VIEWS | {name for name in views if name.split(":")[0] in PERSONAL_NAMESPACES}
    missing = sorted(name for name in expected if not getattr(views[name], "personal_data", False))
    assert not missing, f"Add @personal_data (terrain.lib.http) to: {missing}"


@pytest.mark.django_db
def test_personal_pages_answer_private_no_store(world, alice, alice_client, bob, settings):
    channel_enable(structure=world.section, network="newsletter", by=alice)
    invitation_create(email=bob.email, by=alice, cooperative=world.open_coop)
    pages = [
        reverse("structures:list"),
        reverse("structures:detail", args=[world.section.code]),
        reverse("structures:members", args=[world.section.code]),
        reverse("cooperatives:members", args=[world.private_coop.code]),
        reverse("accounts:profile", args=[bob.code]),
        reverse("accounts:profile_edit"),
        reverse("accounts:invitations"),
        reverse("newsletter:manage", args=[world.section.code]),
    ]
    for page in pages:
        response = alice_client.get(page)
        assert response.status_code == 200, page
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (page, response["Cache-Control"])
