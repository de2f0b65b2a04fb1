"""The data migration that fills ``User.search_name`` for members who existed before it."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from terrain.accounts.models import User
from terrain.tests.factories import make_user

migration = importlib.import_module("terrain.accounts.migrations.0003_user_search_name")


@pytest.mark.django_db
def test_backfill_fills_every_blank_search_name(monkeypatch):
    helene = make_user("Hélène Dupont")
    others = [make_user(f"Œdipe Roi {n}") for n in range(5)]
    User.objects.update(search_name="")
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches and a last, partial one

    migration.backfill_search_name(apps, None)

    helene.refresh_from_db()
    assert helene.search_name == f"helene dupont {helene.handle}"
    assert not User.objects.filter(search_name="").exists()
    assert User.objects.get(pk=others[3].pk).search_name.startswith("oedipe roi 3 ")
    assert list(User.objects.filter(search_name__contains="helene")) == [helene]
