"""Connected accounts: the screens (managers only), the connection flows, checks and breakage warnings."""

# ruff: noqa: F811  (the `pouet` fixture is imported, then requested by name)

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from terrain.atelier.models import ConnectedAccount
from terrain.atelier.services.accounts import account_check, account_data, account_mark_broken, accounts_check_all
from terrain.atelier.tests.publishing_fake import GOOD_TOKEN, make_account, pouet  # noqa: F401
from terrain.feed.models import Notification

Status = ConnectedAccount.Status


def accounts_url(world) -> str:
    return reverse("atelier:accounts", args=[world.section.code])


def connect_url(world, network: str = "pouet") -> str:
    return reverse("atelier:account_connect", args=[world.section.code, network])


# --- Who may -----------------------------------------------------------------------
@pytest.mark.outsider("atelier:accounts")
@pytest.mark.django_db
def test_outsider_and_member_cannot_see_the_accounts(world, charlie_client, bob_client, pouet):
    make_account(world.section)
    assert charlie_client.get(accounts_url(world)).status_code == 404
    assert bob_client.get(accounts_url(world)).status_code == 403


@pytest.mark.outsider("atelier:account_connect")
@pytest.mark.django_db
def test_outsider_cannot_connect_an_account(world, charlie_client, bob_client, pouet):
    assert charlie_client.get(connect_url(world)).status_code == 404
    response = bob_client.post(connect_url(world), {"api_base": pouet.base_url})
    assert response.status_code == 403
    assert pouet.calls("POST", "/api/apps") == []


@pytest.mark.outsider("atelier:account_disconnect")
@pytest.mark.django_db
def test_outsider_cannot_disconnect(world, charlie_client, bob_client, pouet):
    account = make_account(world.section)
    url = reverse("atelier:account_disconnect", args=[account.code])
    assert charlie_client.post(url).status_code == 404
    assert bob_client.post(url).status_code == 403
    account.refresh_from_db()
    assert account.status == Status.ACTIVE


@pytest.mark.outsider("atelier:account_check")
@pytest.mark.django_db
def test_outsider_cannot_check(world, charlie_client, pouet):
    account = make_account(world.section)
    assert charlie_client.post(reverse("atelier:account_check", args=[account.code])).status_code == 404
    assert pouet.calls("GET", "/api/me") == []


@pytest.mark.outsider("atelier:account_oauth_callback")
@pytest.mark.django_db
def test_callback_refuses_a_state_this_session_did_not_start(world, alice_client, charlie_client, pouet):
    # Alice starts a connection; Charlie replays her state and code in his own session.
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    callback = reverse("atelier:account_oauth_callback", args=["pouet"])
    assert charlie_client.get(callback, {"state": state, "code": "code-ok"}).status_code == 404
    assert alice_client.get(callback, {"state": "forged", "code": "code-ok"}).status_code == 404
    assert not ConnectedAccount.objects.exists()


# --- The list ----------------------------------------------------------------------
@pytest.mark.django_db
def test_list_shows_status_and_reason_but_never_secrets(world, alice_client, pouet, django_assert_max_num_queries):
    make_account(world.section, handle="@ok")
    broken = make_account(world.section, handle="@broken", token="secret-token-never-shown")
    ConnectedAccount.objects.filter(pk=broken.pk).update(status=Status.BROKEN, status_detail="Jeton révoqué")
    for i in range(5):
        make_account(world.section, handle=f"@more{i}")

    with django_assert_max_num_queries(12):
        response = alice_client.get(accounts_url(world))

    page = response.content.decode()
    assert response.status_code == 200
    assert "@ok" in page and "@broken" in page
    assert "À reconnecter" in page
    assert "Jeton révoqué" in page
    assert "secret-token-never-shown" not in page
    assert GOOD_TOKEN not in page
    assert connect_url(world) in page


# --- Connecting --------------------------------------------------------------------
@pytest.mark.django_db
def test_connect_by_oauth_registers_the_app_and_comes_back_with_a_token(world, alice, alice_client, pouet):
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url + "/"})

    assert response.status_code == 302
    authorize = urlsplit(response["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == pouet.base_url
    assert authorize.path == "/oauth/authorize"
    query = parse_qs(authorize.query)
    assert query["client_id"] == ["client-1"]
    callback = reverse("atelier:account_oauth_callback", args=["pouet"])
    assert query["redirect_uri"][0].endswith(callback)

    response = alice_client.get(callback, {"state": query["state"][0], "code": "code-ok"})

    assert response.status_code == 302
    assert response["Location"] == accounts_url(world)
    account = ConnectedAccount.objects.get()
    assert (account.structure, account.network, account.handle) == (world.section, "pouet", "@syndicat@pouet.test")
    assert account.api_base == pouet.base_url
    assert account.secrets == {"access_token": "jeton-oauth"}
    assert account.connected_by == alice
    assert account.followers == 42
    # The state was used once.
    again = alice_client.get(callback, {"state": query["state"][0], "code": "code-ok"})
    assert again.status_code == 404


@pytest.mark.django_db
def test_oauth_refused_on_the_network_connects_nothing(world, alice_client, pouet):
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    callback = reverse("atelier:account_oauth_callback", args=["pouet"])

    response = alice_client.get(callback, {"state": state, "code": "wrong"}, follow=True)

    assert "Pouet a refusé la connexion" in response.content.decode()
    assert not ConnectedAccount.objects.exists()


@pytest.mark.django_db
def test_server_address_must_be_https(world, alice_client, pouet, settings):
    settings.ATELIER_ALLOW_HTTP_SERVERS = False
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    assert response.status_code == 200
    assert "doit commencer par https://" in response.content.decode()
    assert pouet.calls("POST", "/api/apps") == []


@pytest.mark.django_db
def test_connect_with_an_app_password_checks_it_first(world, alice_client, pouet):
    url = connect_url(world, "pouetpass")
    response = alice_client.post(url, {"handle": "@syndicat.pouet", "app_password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Pouet (password) a refusé la connexion" in page
    assert "wrong" not in page  # a password is never rendered back
    assert not ConnectedAccount.objects.exists()

    response = alice_client.post(url, {"handle": "@syndicat.pouet", "app_password": "mot-de-passe-appli"})

    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.network == "pouetpass"
    assert account.secrets["app_password"] == "mot-de-passe-appli"
    assert account.secrets["identifier"] == "syndicat.pouet"
    assert account.secrets["access_token"] == GOOD_TOKEN  # what the connector added while checking


@pytest.mark.django_db
def test_connect_a_bot_to_a_channel(world, alice_client, pouet):
    url = connect_url(world, "pouetbot")
    response = alice_client.post(url, {"bot_token": "123:abc", "channel": "@section_hopital"})
    assert response.status_code == 302
    account = ConnectedAccount.objects.get()
    assert account.handle == "@section_hopital"
    assert account.secrets == {"bot_token": "123:abc", "chat_id": "@section_hopital"}


@pytest.mark.django_db
def test_unknown_network_is_404(world, alice_client, pouet):
    assert alice_client.get(connect_url(world, "myspace")).status_code == 404


@pytest.mark.django_db
def test_reconnecting_a_broken_account_repairs_it(world, alice_client, pouet):
    account = make_account(world.section, handle="@syndicat@pouet.test", token="revoked")
    ConnectedAccount.objects.filter(pk=account.pk).update(
        status=Status.BROKEN, remote_id="1", api_base=pouet.base_url, status_detail="expiré"
    )
    response = alice_client.post(connect_url(world), {"api_base": pouet.base_url})
    state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
    alice_client.get(reverse("atelier:account_oauth_callback", args=["pouet"]), {"state": state, "code": "code-ok"})

    account.refresh_from_db()
    assert ConnectedAccount.objects.count() == 1
    assert account.status == Status.ACTIVE
    assert account.status_detail == ""
    assert account.secrets == {"access_token": "jeton-oauth"}


# --- Disconnecting, checking --------------------------------------------------------
@pytest.mark.django_db
def test_disconnect_forgets_the_secrets(world, alice_client, pouet):
    account = make_account(world.section)
    response = alice_client.post(reverse("atelier:account_disconnect", args=[account.code]))
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == Status.DISCONNECTED
    assert account.secrets == {}
    assert account_data(account).secrets == {}
    assert f"account-{account.code}" not in alice_client.get(accounts_url(world)).content.decode()


@pytest.mark.django_db
def test_check_now_reports_a_revoked_token(world, alice, alice_client, pouet, django_capture_on_commit_callbacks):
    account = make_account(world.section, token="revoked", by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("atelier:account_check", args=[account.code]), follow=True)
    assert "doit être reconnecté" in response.content.decode()
    account.refresh_from_db()
    assert account.status == Status.BROKEN
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_check_now_confirms_a_working_account(world, alice_client, pouet):
    account = make_account(world.section)
    response = alice_client.post(reverse("atelier:account_check", args=[account.code]), follow=True)
    assert "fonctionne" in response.content.decode()
    account.refresh_from_db()
    assert account.checked_at is not None
    assert account.followers == 42


@pytest.mark.django_db
def test_periodic_check_marks_broken_accounts_and_warns_once(world, alice, pouet, django_capture_on_commit_callbacks):
    ok = make_account(world.section, handle="@ok", by=alice)
    revoked = make_account(world.section, handle="@revoked", token="revoked", by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        assert accounts_check_all() == 1
        assert accounts_check_all() == 1  # the broken one is not checked (nor announced) again

    assert ConnectedAccount.objects.get(pk=revoked.pk).status == Status.BROKEN
    assert ConnectedAccount.objects.get(pk=ok.pk).status == Status.ACTIVE
    [notification] = Notification.objects.filter(reason="account_broken")
    assert notification.user == alice
    assert notification.target_url == accounts_url(world)
    assert "@revoked" in notification.summary
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reconnecter")


@pytest.mark.django_db
def test_a_network_that_does_not_answer_proves_nothing(world, pouet):
    account = make_account(world.section)
    pouet.fail_next(503, path_contains="/api/me")
    assert account_check(account=account) is True
    account.refresh_from_db()
    assert account.status == Status.ACTIVE


@pytest.mark.django_db
def test_breakage_warns_the_officials_of_the_nearest_structure_with_some(world, pouet):
    from terrain.structures.models import Official
    from terrain.tests.factories import make_user

    Official.objects.filter(structure=world.section).delete()
    secretary = make_user("Dominique UD", email="ud@example.org")
    Official.objects.create(structure=world.syndicat, user=secretary, role="secretaire")
    account = make_account(world.section)  # connected by nobody still around

    assert account_mark_broken(account=account, error="token expired") is True
    assert account_mark_broken(account=account, error="token expired") is False

    assert list(Notification.objects.filter(reason="account_broken").values_list("user", flat=True)) == [secretary.pk]


@pytest.mark.django_db
def test_a_network_with_one_address_goes_straight_to_its_consent_page(world, alice_client, pouet, monkeypatch):
    from terrain.networks.registry import get_connector

    monkeypatch.setattr(get_connector("pouet"), "asks_server", False)  # as Facebook, LinkedIn or X
    page = alice_client.get(connect_url(world)).content.decode()
    assert 'name="api_base"' not in page

    response = alice_client.post(connect_url(world))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{pouet.base_url}/oauth/authorize?")
