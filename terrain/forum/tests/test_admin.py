"""The administration shows the forum's rows, and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from terrain.forum.models import Category, Reply, Topic
from terrain.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_administrators_read_but_do_not_write(world, topic, alice_reply):
    admin = make_user("Admin", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    for model in (Category, Topic, Reply):
        opts = model._meta
        assert client.get(reverse(f"admin:forum_{opts.model_name}_changelist")).status_code == 200
        row = model.objects.first()
        assert client.get(reverse(f"admin:forum_{opts.model_name}_change", args=[row.pk])).status_code == 200
        assert client.get(reverse(f"admin:forum_{opts.model_name}_add")).status_code == 403
