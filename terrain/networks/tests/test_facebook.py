"""The Facebook Page connector against the local Graph API."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from terrain.networks.base import (
    AccountData,
    AuthError,
    Content,
    Media,
    PermanentError,
    RejectedContent,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.facebook.connector import FacebookConnector
from terrain.networks.fakes.facebook import throttled
from terrain.networks.registry import get_connector
from terrain.networks.tests.fixtures.facebook import account_fixture, connector_fixture, fake_fixture  # noqa: F401 (fixtures)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_registry_gives_the_facebook_connector():
    connector = get_connector("facebook")
    assert isinstance(connector, FacebookConnector)
    assert connector.max_chars == 63206
    assert connector.count_characters("Grève à 14 h") == 12


def test_publish_text_returns_the_post_and_its_address(fake, connector, account):
    post = connector.publish(account, Content(text="Assemblée générale jeudi", marker="m1"))

    assert post.remote_id.startswith(f"{fake.page_id}_")
    assert post.url == fake.posts[post.remote_id]["permalink_url"]
    assert fake.posts[post.remote_id]["message"] == "Assemblée générale jeudi"
    # The Page token travels in the header, never in the address.
    request = fake.calls("POST", "/feed")[0]
    assert request.header("authorization") == f"Bearer {fake.page_token()}"
    assert "access_token" not in request.query


def test_publish_link_sends_it_as_the_link_of_the_post(fake, connector, account):
    post = connector.publish(account, Content(text="Notre tract", link="https://example.org/tract"))

    assert fake.posts[post.remote_id]["link"] == "https://example.org/tract"
    assert fake.posts[post.remote_id]["message"] == "Notre tract"


def test_publish_one_image_with_its_alt_text(fake, connector, account):
    image = Media(data=PNG, mime_type="image/png", alt="Des militant·es devant l'usine", filename="a.png")

    post = connector.publish(account, Content(text="Rassemblement", media=(image,), link="https://example.org/r"))

    stored = fake.posts[post.remote_id]
    assert stored["message"] == "Rassemblement\n\nhttps://example.org/r"
    (photo_id,) = stored["photos"]
    assert fake.photos[photo_id]["alt_text_custom"] == "Des militant·es devant l'usine"


def test_publish_several_images_attaches_unpublished_photos_to_one_post(fake, connector, account):
    images = tuple(Media(data=PNG, mime_type="image/png", alt=f"Photo {n}") for n in range(3))

    post = connector.publish(account, Content(text="Trois photos", media=images))

    assert len(fake.page_posts()) == 1
    photos = fake.posts[post.remote_id]["photos"]
    assert [fake.photos[p]["alt_text_custom"] for p in photos] == ["Photo 0", "Photo 1", "Photo 2"]


def test_a_dropped_answer_is_uncertain_and_find_published_finds_the_post(fake, connector, account):
    content = Content(text="Rendez-vous à 12 h [ref k3x9]", marker="k3x9")
    fake.drop_next(path_contains="/feed")

    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    found = connector.find_published(account, content)
    assert found is not None
    assert found.remote_id == fake.page_posts()[0]["id"]
    assert len(fake.page_posts()) == 1  # checked, not sent again


def test_find_published_recognises_the_same_text_when_the_marker_is_not_in_it(fake, connector, account):
    content = Content(text="Grève le 3 décembre", link="https://example.org/g", marker="hidden1")
    fake.drop_next(path_contains="/feed")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    assert connector.find_published(account, content).remote_id == fake.page_posts()[0]["id"]


def test_the_same_text_posted_days_ago_is_not_taken_for_the_post(fake, connector, account):
    old = connector.publish(account, Content(text="Permanence mardi"))
    fake.posts[old.remote_id]["created_time"] = "2026-01-05T10:00:00+0000"

    assert connector.find_published(account, Content(text="Permanence mardi", marker="q2w8e4r6t5y7u3")) is None


def test_find_published_looks_in_the_link_too_and_says_none_when_absent(fake, connector, account):
    connector.publish(account, Content(text="Tract", link="https://terrain.example/l/abc?m=z9z9"))

    assert connector.find_published(account, Content(text="Tract", marker="z9z9")) is not None
    assert connector.find_published(account, Content(text="Autre", marker="nope")) is None


def test_delete_removes_the_post(fake, connector, account):
    post = connector.publish(account, Content(text="À retirer"))

    connector.delete(account, post.remote_id)

    assert fake.page_posts() == []
    connector.delete(account, post.remote_id)  # already gone: nothing to do
    with pytest.raises(AuthError):  # but a refusal is not taken for a deletion
        fake.revoke(account.secrets["access_token"])
        connector.delete(account, post.remote_id)


def test_metrics_count_reactions_shares_and_comments(fake, connector, account):
    post = connector.publish(account, Content(text="Mesurez-moi"))
    assert connector.fetch_metrics(account, post.remote_id).reposts == 0  # no "shares" field yet
    fake.engage(post.remote_id, reactions=7, shares=2, comments=3)

    metrics = connector.fetch_metrics(account, post.remote_id)

    assert (metrics.likes, metrics.reposts, metrics.replies) == (7, 2, 3)


def test_followers_and_credentials(fake, connector, account):
    fake.pages[fake.page_id]["followers_count"] = 4321

    assert connector.fetch_followers(account) == 4321
    info = connector.validate_credentials(account)
    assert (info.remote_id, info.display_name, info.followers) == (fake.page_id, "Section syndicale Terrain", 4321)


def test_oauth_dialog_code_exchange_page_choice(fake, connector):
    client = connector.register_client(api_base=fake.base_url, redirect_uri="https://terrain.example/cb")
    assert client == {"client_id": fake.client_id}  # the secret stays in the settings, out of the session
    url = connector.authorization_url(
        api_base=fake.base_url, redirect_uri="https://terrain.example/cb", state="s1", client=client
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{fake.base_url}/v25.0/dialog/oauth?")
    assert query["scope"] == [
        "pages_manage_posts,pages_read_engagement,pages_show_list,"
        "pages_read_user_content,pages_manage_engagement,pages_messaging"
    ]
    assert query["client_id"] == [fake.client_id]
    assert query["state"] == ["s1"]

    # The fake dialog agrees at once and sends the person back with a code.
    answer = httpx.get(url, follow_redirects=False)
    back = parse_qs(urlsplit(answer.headers["location"]).query)
    assert back["state"] == ["s1"]

    secrets = connector.exchange_code(
        api_base=fake.base_url, code=back["code"][0], redirect_uri="https://terrain.example/cb", client=client
    )
    assert fake.tokens[secrets["access_token"]]["kind"] == "user"
    assert secrets["expires_at"] is not None
    other = fake.add_page("Union locale", managers=[fake.user_id], followers=10)

    pages = connector.list_pages(secrets["access_token"], api_base=fake.base_url)
    assert {p.remote_id for p in pages} == {fake.page_id, other}

    stored = connector.page_secrets(secrets, other, api_base=fake.base_url)
    assert stored == {"access_token": fake.page_token(other), "page_id": other}
    with pytest.raises(PermanentError):
        connector.page_secrets(secrets, "999", api_base=fake.base_url)


def test_a_used_code_is_refused(fake, connector):
    with pytest.raises(RejectedContent):  # Graph error code 100 on the token endpoint
        connector.exchange_code(api_base=fake.base_url, code="used", redirect_uri="https://x/cb", client={})


def test_timeout_of_a_post_is_uncertain_of_a_read_transient(fake, connector, account, short_timeout):
    fake.slow_next(1.5, path_contains="/feed")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent"))

    fake.slow_next(1.5)
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert not isinstance(caught.value, UncertainOutcome)


def test_unreachable_network_is_transient_not_uncertain(connector):
    account = AccountData(api_base="http://127.0.0.1:9", secrets={"access_token": "t"}, remote_id="1")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Personne"))
    assert not isinstance(caught.value, UncertainOutcome)


def test_rate_limit_is_transient_with_the_delay_of_the_usage_header(fake, connector, account):
    fake.fail_next(400, **throttled(32, minutes=7))

    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop vite"))

    assert caught.value.retry_after == 7 * 60
    assert fake.page_posts() == []


@pytest.mark.parametrize("code", [4, 17, 613])
def test_every_throttling_code_is_transient(fake, connector, account, code):
    fake.fail_next(403, json={"error": {"message": "(#4) Application request limit reached", "code": code}})
    with pytest.raises(TransientError):
        connector.publish(account, Content(text="Trop vite"))


def test_server_error_is_transient(fake, connector, account):
    fake.fail_next(500, json={"error": {"message": "An unknown error occurred", "code": 1, "is_transient": True}})
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Panne"))
    assert caught.value.status == 500


def test_expired_token_is_an_auth_error(fake, connector, account):
    fake.expire(account.secrets["access_token"])
    with pytest.raises(AuthError, match="Session has expired"):
        connector.publish(account, Content(text="Plus de jeton"))


def test_revoked_token_is_an_auth_error(fake, connector, account):
    fake.revoke(account.secrets["access_token"])
    with pytest.raises(AuthError):
        connector.validate_credentials(account)


def test_duplicate_is_refused_content(fake, connector, account):
    connector.publish(account, Content(text="Même texte"))
    with pytest.raises(RejectedContent, match="Duplicate"):
        connector.publish(account, Content(text="Même texte"))


def test_too_long_or_not_an_image_is_refused(fake, connector, account):
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="x" * 63207))
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="Pas une image", media=(Media(b"text", "image/png", "alt"),)))
    assert fake.page_posts() == []


def test_connecting_a_person_with_one_page_chooses_it_with_several_asks(fake, connector):
    def connect() -> AccountData:
        url = connector.authorization_url(
            api_base=fake.base_url, redirect_uri="https://t.example/cb", state="s", client={}
        )
        code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]
        secrets = connector.exchange_code(
            api_base=fake.base_url, code=code, redirect_uri="https://t.example/cb", client={}
        )
        return AccountData(api_base=fake.base_url, secrets=secrets)

    data = connect()
    info = connector.validate_credentials(data)  # what the account screen does after the code exchange

    assert info.remote_id == fake.page_id
    assert data.secrets == {"access_token": fake.page_token(), "page_id": fake.page_id}
    assert data.secrets_changed
    connector.publish(data, Content(text="Connecté"))
    assert len(fake.page_posts()) == 1

    fake.add_page("Deuxième page", managers=[fake.user_id])
    with pytest.raises(PermanentError):
        connector.validate_credentials(connect())


def test_the_fake_gives_working_demo_credentials(fake, connector):
    """``python -m terrain.networks.fakes <kind>`` prints them for the demo."""
    words = dict(word.split("=", 1) for word in fake.credentials().split())
    assert (words["FACEBOOK_APP_ID"], words["FACEBOOK_APP_SECRET"]) == (fake.client_id, fake.client_secret)
    secrets = {k: v for k, v in words.items() if k.islower()}
    data = AccountData(api_base=fake.base_url, secrets=secrets, remote_id=secrets["page_id"])
    assert connector.validate_credentials(data).remote_id == fake.page_id
