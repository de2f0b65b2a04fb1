from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from terrain.accounts.services import invitation_accept, invitation_create, invitation_find
from terrain.cooperatives.models import Membership
from terrain.tests.factories import make_user


@pytest.mark.django_db
def test_invitation_mail_leaves_on_commit_with_a_single_use_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(email="Nadia@Example.org", by=world.alice, cooperative=world.open_coop)
    assert invitation.email == "nadia@example.org"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    token = body.split("/compte/invitation/")[1].split("/")[0]
    assert invitation_find(token=token) == invitation

    nadia = make_user("Nadia Benali", email="nadia@example.org")
    invitation_accept(invitation=invitation, user=nadia)
    assert Membership.objects.filter(user=nadia, cooperative=world.open_coop).exists()
    with pytest.raises(ValidationError):
        invitation_accept(invitation=invitation, user=nadia)


@pytest.mark.django_db
def test_a_new_invitation_revokes_the_previous_one_and_expiry_is_enforced(world):
    first = invitation_create(email="x@example.org", by=world.alice, cooperative=world.open_coop)
    second = invitation_create(email="x@example.org", by=world.alice, cooperative=world.open_coop)
    first.refresh_from_db()
    assert not first.is_usable and second.is_usable
    second.expires_at = timezone.now() - timedelta(seconds=1)
    second.save()
    with pytest.raises(ValidationError):
        invitation_accept(invitation=second, user=world.charlie)


@pytest.mark.django_db
def test_mention_names_keep_ligatures_and_accents_readable():
    from terrain.accounts.services import handle_for

    assert handle_for("Œdipe Roi") == "oedipe.roi"
    assert handle_for("Hélène Dupont") == "helene.dupont"
