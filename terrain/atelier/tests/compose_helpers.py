"""A small workshop around the shared world, for the composer and workflow tests.

- alice: official of the section, so a manager of its workshop
- dana: member of the section, named writer in the strategy
- eve: member of the section, named approver
- bob: member of the section without a role in the workshop (403)
- charlie: outsider (404)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from terrain.atelier.models import ConnectedAccount, LexiconEntry, Strategy
from terrain.structures.services import structure_member_add
from terrain.tests.factories import make_user


@dataclass
class Workshop:
    world: object
    structure: object
    strategy: Strategy
    dana: object
    eve: object
    mastodon: ConnectedAccount
    bluesky: ConnectedAccount
    x: ConnectedAccount


def make_workshop(world, *, approval_required: bool = True) -> Workshop:
    section = world.section
    dana = make_user("Dana Roux", email="dana@example.org")
    eve = make_user("Eve Blanc", email="eve@example.org")
    structure_member_add(structure=section, user=dana)
    structure_member_add(structure=section, user=eve)
    strategy = Strategy.objects.create(structure=section, approval_required=approval_required)
    strategy.writers.add(dana)
    strategy.approvers.add(eve)
    LexiconEntry.objects.create(structure=section, acronym="CHSCT", expansion="comité d'hygiène et de sécurité")
    accounts = {
        network: ConnectedAccount.objects.create(
            structure=section, network=network, handle=f"section-nord.{network}", api_base="https://example.org"
        )
        for network in ("mastodon", "bluesky", "x")
    }
    return Workshop(world, section, strategy, dana, eve, accounts["mastodon"], accounts["bluesky"], accounts["x"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
