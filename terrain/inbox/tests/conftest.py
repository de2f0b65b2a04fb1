"""Fixtures of the inbox's tests: a network whose answers a test writes, and an account on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from terrain.atelier.models import ConnectedAccount
from terrain.networks.base import Connector, InboundItem, InboundPage, RemotePost

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def said(number: int, *, parent: str = "", kind: str = "reply", text: str = "") -> InboundItem:
    return InboundItem(
        remote_id=f"n{number}",
        kind=kind,
        text=text or f"Message {number}",
        created_at=T0 + timedelta(minutes=number),
        author_handle=f"@personne{number}@exemple.fr",
        author_name=f"Personne {number}",
        parent=parent,
        reply_to=f"s{number}",
        parent_is_ours=parent.startswith("ours"),
    )


class Scripted(Connector):
    """A network whose answers the test writes: a list of pages or errors, served in order."""

    kind = "scripted"
    label = "Scripted"
    inbox_streams = ("notifications",)
    script: list = []
    calls: list = []
    replies: list = []

    def fetch_inbound(self, account, stream, cursor):
        type(self).calls.append(cursor)
        step = type(self).script.pop(0) if type(self).script else InboundPage(items=(), cursor=cursor)
        if isinstance(step, Exception):
            raise step
        if callable(step):
            return step(cursor)
        return step

    def reply(self, account, to, content):
        type(self).replies.append((to, content.text, content.marker))
        return RemotePost(remote_id=f"r-{to}", url="https://exemple.fr/r")


@pytest.fixture
def network(settings):
    settings.NETWORK_CONNECTORS = {"scripted": f"{__name__}.Scripted"}
    settings.INBOX_POLL_SECONDS = 120
    Scripted.script, Scripted.calls, Scripted.replies = [], [], []
    from terrain.networks import registry

    registry._instances.clear()
    yield Scripted
    registry._instances.clear()


@pytest.fixture
def account(world, network):
    return ConnectedAccount.objects.create(
        structure=world.section, network="scripted", handle="@section", remote_id="me", secrets={"access_token": "t"}
    )
