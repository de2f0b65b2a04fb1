from __future__ import annotations

import pytest
from django.urls import reverse

from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.tests.factories import make_user


@pytest.mark.django_db
def test_platform_admins_read_the_audit_trail_and_cannot_change_it(client, world):
    audit_record(actor=world.alice, action=AuditEntry.Action.VIEW_MEMBERS, target=world.section)
    admin = make_user("Admin Plateforme", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:core_auditentry_changelist"))
    assert listing.status_code == 200
    assert world.section.code in listing.content.decode()
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403


@pytest.mark.django_db
def test_members_do_not_reach_the_audit_trail(alice_client):
    response = alice_client.get(reverse("admin:core_auditentry_changelist"))
    assert response.status_code == 302
    assert "/administration/login/" in response["Location"]
