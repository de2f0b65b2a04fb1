"""Signing in (with the django-axes throttle) and signing out."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOGIN = "/compte/connexion/"
PASSWORD = "motdepasse-solide-1"  # the factories' default


def _templates(response) -> list[str]:
    return [t.name for t in response.templates]


@pytest.mark.django_db
def test_sign_in_page_asks_for_an_email_address(client: Client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    form = response.context["form"]
    with translation.override("en"):
        assert str(form.fields["username"].label) == "E-mail address"
    assert 'type="email"' in response.content.decode()
    assert reverse("accounts:password_reset") in response.content.decode()


@pytest.mark.django_db
def test_sign_in_with_email_and_password_lands_on_the_feed(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("feed:home")
    assert get_user(client).pk == alice.pk


@pytest.mark.django_db
def test_sign_in_accepts_an_address_typed_with_capitals(client: Client, alice):
    response = client.post(LOGIN, {"username": "  Alice@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302
    assert get_user(client).pk == alice.pk


@pytest.mark.django_db
def test_sign_in_follows_next_but_never_to_another_site(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD, "next": "/compte/profil/"})
    assert response["Location"] == "/compte/profil/"
    client.logout()
    response = client.post(
        LOGIN, {"username": "alice@example.org", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("feed:home")


@pytest.mark.django_db
def test_the_sign_in_form_carries_next_through(client: Client, alice):
    page = client.get(LOGIN, {"next": "/compte/profil/"}).content.decode()
    assert '<input type="hidden" name="next" value="/compte/profil/">' in page
    # Sent back with an error, it still carries it.
    page = client.post(
        LOGIN, {"username": "alice@example.org", "password": "wrong", "next": "/compte/profil/"}
    ).content.decode()
    assert 'name="next" value="/compte/profil/"' in page


@pytest.mark.django_db
def test_wrong_password_redisplays_the_form_with_the_address_kept(client: Client, alice):
    response = client.post(LOGIN, {"username": "alice@example.org", "password": "not-the-password"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    html = response.content.decode()
    assert 'value="alice@example.org"' in html
    assert "not-the-password" not in html
    assert not get_user(client).is_authenticated


@pytest.mark.django_db
def test_empty_form_shows_field_errors(client: Client, world):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}


@pytest.mark.django_db
def test_inactive_member_cannot_sign_in(client: Client, alice):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert not get_user(client).is_authenticated


@pytest.mark.django_db
def test_signed_in_member_visiting_sign_in_is_sent_on(alice_client: Client):
    response = alice_client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("feed:home")


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_address_even_for_the_right_one(client: Client, settings, alice):
    settings.AXES_ENABLED = True
    for _attempt in range(5):
        response = client.post(LOGIN, {"username": "alice@example.org", "password": "wrong-password"})
    # The fifth failure already answers with the calm lockout page.
    assert "accounts/locked_out.html" in _templates(response)

    response = client.post(LOGIN, {"username": "Alice@example.org", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/locked_out.html" in _templates(response)
    assert reverse("accounts:password_reset") in response.content.decode()
    assert not get_user(client).is_authenticated


@pytest.mark.django_db
def test_the_lock_is_per_address_and_failures_below_the_limit_do_not_lock(client: Client, settings, alice, bob):
    settings.AXES_ENABLED = True
    for _attempt in range(5):
        client.post(LOGIN, {"username": "alice@example.org", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "bob@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert get_user(client).pk == bob.pk

    other = Client()
    for _attempt in range(4):
        other.post(LOGIN, {"username": "charlie@example.org", "password": "wrong-password"})
    response = other.post(LOGIN, {"username": "charlie@example.org", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_password_spraying_from_many_ips_locks_the_address(client: Client, settings, alice):
    settings.AXES_ENABLED = True
    limit = settings.AXES_FAILURE_LIMITS["username"]
    assert limit > settings.AXES_FAILURE_LIMIT
    # Never more than the per-pair limit from one IP, so only the per-address count can lock.
    for n in range(limit):
        ip = f"203.0.113.{n // (settings.AXES_FAILURE_LIMIT - 1)}"
        client.post(LOGIN, {"username": "alice@example.org", "password": f"guess-{n}"}, REMOTE_ADDR=ip)
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    assert not get_user(client).is_authenticated
    # Other addresses are not affected.
    response = Client().post(LOGIN, {"username": "bob@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_failures_spread_over_ips_below_the_address_limit_do_not_lock(client: Client, settings, alice):
    settings.AXES_ENABLED = True
    for n in range(settings.AXES_FAILURE_LIMITS["username"] - 1):
        client.post(LOGIN, {"username": "alice@example.org", "password": "wrong"}, REMOTE_ADDR=f"203.0.113.{n}")
    response = client.post(LOGIN, {"username": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


@pytest.mark.django_db
def test_sign_out_needs_a_post(alice_client: Client):
    response = alice_client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert get_user(alice_client).is_authenticated

    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not get_user(alice_client).is_authenticated


@pytest.mark.django_db
def test_sign_out_when_already_signed_out_is_harmless(client: Client):
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_password_changed_elsewhere_or_a_deactivation_signs_out_at_once(alice_client: Client, bob_client, alice, bob):
    """Every request checks the member against the database (sessions are cached, members are not):
    a new password set from another device ends this session, and so does a deactivation."""
    feed = reverse("feed:home")
    assert alice_client.get(feed).status_code == 200
    assert bob_client.get(feed).status_code == 200

    alice.set_password("un-tout-autre-mot-de-passe")
    alice.save(update_fields=["password"])
    bob.is_active = False
    bob.save(update_fields=["is_active"])

    for client in (alice_client, bob_client):
        response = client.get(feed)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_the_member_backend_reads_the_member_as_the_orm_would(alice, bob):
    from terrain.accounts.backends import MemberBackend
    from terrain.accounts.models import User

    backend = MemberBackend()
    loaded = backend.get_user(str(alice.pk))
    expected = User.objects.get(pk=alice.pk)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(loaded, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert backend.get_user("pas-un-nombre") is None
    assert backend.get_user(str(bob.pk + alice.pk + 1000)) is None
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    assert backend.get_user(str(bob.pk)) is None


@pytest.mark.django_db
def test_a_session_opened_with_a_password_names_the_member_backend(client: Client, alice):
    from django.contrib.auth import BACKEND_SESSION_KEY

    client.post(LOGIN, {"username": alice.email, "password": PASSWORD})

    assert client.session[BACKEND_SESSION_KEY] == "terrain.accounts.backends.MemberBackend"
