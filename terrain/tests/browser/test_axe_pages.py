"""axe-core on the main pages, on a phone and a laptop, for a facilitator, a member and a visitor.

Every browser test already fails on a critical or serious violation (see axe.py);
this walk holds the main pages to every impact, moderate and minor included.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from terrain.atelier.services.scheduling import slot_add
from terrain.atelier.tests.plan_factories import make_account, make_scheduled
from terrain.insights.tests.conftest import publish
from terrain.news.services import comment_create, post_create, reaction_toggle
from terrain.newsletter.channels import NEWSLETTER
from terrain.newsletter.models import Subscriber
from terrain.newsletter.services import channel_enable
from terrain.tests.browser.axe import ALL_IMPACTS, axe_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")


def _tract(world):
    """A tract of the section, used twice (a download and a reuse) so that its use table shows."""
    import datetime

    from terrain.tracts.services import tract_create, tract_download_record, tract_reuse_record
    from terrain.tracts.tests.conftest import make_file

    coop = world.private_coop
    tract = tract_create(
        cooperative=coop,
        file=make_file(coop),
        title="La cantine de nuit",
        date=datetime.date(2026, 2, 1),
        themes=["Conditions de travail"],
        by=world.alice,
    )
    tract_download_record(tract=tract, cooperative=coop, by=world.bob)
    tract_reuse_record(tract=tract, cooperative=coop, kind="displayed", by=world.bob)
    return tract


def _reading_failed(account) -> None:
    """The inbox cannot read the account (a permission is missing): the accounts page says so in red."""
    from terrain.inbox.services import account_source, stream_failed, stream_for
    from terrain.networks.base import PermissionMissing

    stream = stream_for(account_source(account), "notifications")
    stream_failed(
        stream, PermissionMissing("Il manque une permission : connectez le compte à nouveau."), needs_permission=True
    )


def _pages(world) -> dict[str, list[str]]:
    """The paths each persona walks, on content that shows every kind of item."""
    post = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Réunion jeudi</p>")
    post_create(cooperative=world.private_coop, author=world.alice, body_html="<p>Assemblée générale</p>")
    comment_create(post=post, author=world.alice, text="J'y serai")
    reaction_toggle(post=post, user=world.alice, kind="like")
    section = world.section
    account = make_account(section)
    _reading_failed(make_account(section, network="bluesky", handle="@section.bsky.social"))
    now = timezone.now().astimezone(PARIS)
    # A past message published (with its statistics), one to come, and free slots in the month.
    publish(account, text="Grève jeudi", remote_id="1", ago=timedelta(days=1), author=world.alice)
    make_scheduled(section, now + timedelta(days=2), accounts=[account], by=world.alice, body="Permanence")
    # Items on the days of the next and previous month that a month's grid shows too.
    next_month = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=10, minute=0)
    make_scheduled(section, next_month, accounts=[account], by=world.alice, body="Début du mois")
    make_scheduled(section, next_month - timedelta(hours=12), accounts=[account], by=world.alice, body="Fin du mois")
    slot_add(structure=section, weekday=(now.weekday() + 3) % 7, local_time=time(12, 0))
    channel_enable(structure=section, network=NEWSLETTER, by=world.alice)
    Subscriber.objects.create(structure=section, email="nadia@example.org", status="confirmed")
    day = now.date().isoformat()
    tract = _tract(world)
    member = [
        "/",
        "/cooperatives/",
        f"/cooperatives/{world.open_coop.code}/",
        f"/cooperatives/{world.open_coop.code}/membres/",
        f"/actualites/{post.code}/",
        f"/actualites/c/{world.open_coop.code}/publier/",
        "/structures/",
        f"/structures/{section.code}/",
        "/notifications/",
        "/fil/reglages/",
        "/compte/profil/",
        f"/compte/membres/{world.alice.code}/",
        "/relais/",
        "/aide/",
        f"/tracts/c/{world.private_coop.code}/",
        f"/tracts/t/{tract.code}/",
    ]
    facilitator = [
        *member,
        "/cooperatives/nouvelle/",
        f"/atelier/{section.code}/",
        f"/atelier/{section.code}/messages/",
        f"/atelier/{section.code}/messages/nouveau/",
        f"/atelier/{section.code}/calendrier/?vue=mois&date={day}",
        f"/atelier/{section.code}/calendrier/?vue=mois&date={next_month.date().isoformat()}",
        f"/atelier/{section.code}/calendrier/?vue=semaine&date={day}",
        f"/atelier/{section.code}/file-attente/",
        f"/atelier/{section.code}/strategie/",
        f"/atelier/{section.code}/comptes/",
        f"/statistiques/{section.code}/",
        f"/lettre/{section.code}/abonne-es/",
        f"/tracts/c/{world.private_coop.code}/nouveau/",
        f"/tracts/c/{world.private_coop.code}/proposes/",
    ]
    visitor = ["/compte/connexion/", "/compte/mot-de-passe/oublie/", f"/lettre/{section.code}/", "/aide/"]
    return {"alice": facilitator, "bob": member, "visitor": visitor}


@pytest.mark.parametrize("width", [360, 1280])
def test_main_pages_have_no_axe_violation(world, live_server, browser, width):
    pages = _pages(world)
    problems = []
    for persona, paths in pages.items():
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="fr-FR")
        if persona != "visitor":
            client = Client()
            client.force_login(getattr(world, persona))
            session = client.cookies["sessionid"].value
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (persona, path, response.status)
            problems += [f"{persona} {width}px: {v}" for v in axe_check(page, impacts=ALL_IMPACTS)]
        context.close()
    assert not problems, "\n".join(problems)
