"""Fixtures of the relay tests: a message of the section, published on two networks."""

from __future__ import annotations

import pytest
from django.utils import timezone

from terrain.atelier.models import ConnectedAccount, Message, Publication


def publish_message(structure, *, author, title="Pause déjeuner", body="Trente minutes pour tous.", link="", **extra):
    """A published message of ``structure`` with a Mastodon and a Bluesky publication (rows only)."""
    now = timezone.now()
    message = Message.objects.create(
        structure=structure,
        author=author,
        title=title,
        body=body,
        link=link,
        status=extra.pop("status", Message.Status.PUBLISHED),
        published_at=now,
        **extra,
    )
    for network, url in (("mastodon", "https://social.example/@section/1"), ("bluesky", "")):
        account, _ = ConnectedAccount.objects.get_or_create(
            structure=structure, network=network, defaults={"handle": f"section-{network}"}
        )
        message.accounts.add(account)
        Publication.objects.create(
            message=message,
            account=account,
            state=Publication.State.PUBLISHED,
            due_at=now,
            next_try_at=now,
            remote_url=url,
            published_at=now,
        )
    return message


@pytest.fixture
def message(world):
    return publish_message(world.section, author=world.alice, link="https://exemple.org/tract")
