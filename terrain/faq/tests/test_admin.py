"""The administration shows the FAQ's rows, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.faq.models import Entry, Proposal, Theme
from terrain.faq.services import proposal_create
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_administrators_read_but_do_not_write(world, entry):
    proposal_create(cooperative=world.private_coop, question="Q ?", context="", by=world.bob)
    admin = make_user("Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for model in (Theme, Entry, Proposal):
        opts = model._meta
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    assert "Combien coûte" in client.get(reverse("admin:faq_entry_changelist")).content.decode()
