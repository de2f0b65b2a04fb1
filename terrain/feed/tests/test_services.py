from __future__ import annotations

import pytest

from terrain.cooperatives.models import Membership
from terrain.feed.selectors import feed_page
from terrain.feed.services import membership_set_muted
from terrain.news.services import post_create

pytestmark = pytest.mark.django_db


def test_muting_keeps_the_membership_and_empties_the_feed_of_that_cooperative(world):
    post_create(cooperative=world.open_coop, author=world.alice, body_html="<div>Ouvert</div>")
    membership = Membership.objects.get(user=world.bob, cooperative=world.open_coop)

    membership_set_muted(membership=membership, muted=True)

    membership.refresh_from_db()
    assert membership.muted
    assert world.open_coop.pk not in {a.cooperative_id for a in feed_page(user=world.bob).items}

    membership_set_muted(membership=membership, muted=False)
    assert world.open_coop.pk in {a.cooperative_id for a in feed_page(user=world.bob).items}


@pytest.mark.django_db
def test_a_batch_of_events_raises_each_cooperative_mark_and_never_lowers_one(world):
    from terrain.cooperatives.feed_items import MEMBER_JOINED
    from terrain.cooperatives.models import Cooperative
    from terrain.feed.services import activities_record

    high = 10**12
    Cooperative.objects.filter(pk=world.private_coop.pk).update(last_activity_id=high)
    event = {"actor": world.alice, "verb": MEMBER_JOINED, "target": None}
    first, second, third = activities_record(
        [
            {**event, "cooperative_id": world.open_coop.pk},
            {**event, "cooperative_id": world.open_coop.pk},
            {**event, "cooperative_id": world.private_coop.pk},
        ]
    )

    assert first.pk < second.pk and all(a.broadcast for a in (first, second, third))
    world.open_coop.refresh_from_db()
    world.private_coop.refresh_from_db()
    assert world.open_coop.last_activity_id == second.pk
    assert world.private_coop.last_activity_id == high
