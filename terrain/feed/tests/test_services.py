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
