"""The Instagram connector against the local Instagram Graph API."""

from __future__ import annotations

import hashlib
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
from terrain.networks.fakes.facebook import throttled
from terrain.networks.fakes.server import FakeServer, Request, Response, route
from terrain.networks.instagram.connector import InstagramConnector
from terrain.networks.registry import get_connector
from terrain.networks.tests.fixtures.instagram import account_fixture, fake_fixture  # noqa: F401 (fixtures)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class ImageHost(FakeServer):
    """Stands for Terrain's signed image addresses, which Instagram downloads."""

    name = "images"

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, bytes] = {}

    def put(self, media: Media) -> str:
        key = hashlib.sha256(media.data).hexdigest()[:16]
        self.files[key] = media.data
        return f"{self.base_url}/signed/{key}?expires=1"

    @route("GET", r"/signed/(?P<key>\w+)")
    def get(self, request: Request) -> Response:
        data = self.files.get(request.params["key"])
        return Response(body=data, headers={"Content-Type": "image/png"}) if data else Response(404, body=b"")


@pytest.fixture
def images():
    with ImageHost() as host:
        yield host


@pytest.fixture
def connector(images):
    """A connector that publishes: Instagram fetches the images from their public address."""
    connector = InstagramConnector()
    connector.public_url = images.put
    connector.status_wait = 0.01
    return connector


def image(alt: str = "Une banderole") -> Media:
    return Media(data=PNG + alt.encode(), mime_type="image/png", alt=alt, filename="b.png")


def test_registry_gives_the_instagram_connector():
    connector = get_connector("instagram")
    assert isinstance(connector, InstagramConnector)
    assert (connector.max_chars, connector.media_required, connector.max_hashtags) == (2200, True, 30)
    assert connector.count_hashtags("#grève #Salaires et C# mais pas &#233;") == 2


def test_publish_an_image_with_caption_and_alt_text(fake, connector, account):
    post = connector.publish(account, Content(text="Tou·tes en grève #greve", media=(image(),)))

    (media,) = fake.account_media()
    assert post.remote_id == media["id"]
    assert post.url == media["permalink"]
    assert media["caption"] == "Tou·tes en grève #greve"
    assert media["alt_texts"] == ["Une banderole"]
    assert media["image_urls"][0].startswith(connector.public_url.__self__.base_url)


def test_publish_a_link_puts_it_in_the_caption(fake, connector, account):
    connector.publish(account, Content(text="Lisez", link="https://example.org/t", media=(image(),)))
    assert fake.account_media()[0]["caption"] == "Lisez\n\nhttps://example.org/t"


def test_publish_several_images_as_a_carousel(fake, connector, account):
    connector.publish(account, Content(text="Album", media=(image("Un"), image("Deux"), image("Trois"))))

    (media,) = fake.account_media()
    assert media["media_type"] == "CAROUSEL_ALBUM"
    assert media["alt_texts"] == ["Un", "Deux", "Trois"]


def test_publish_waits_while_the_container_is_processed(fake, connector, account):
    fake.processing_checks = 2
    connector.publish(account, Content(text="Patience", media=(image(),)))
    assert len(fake.calls("GET", f"/{next(iter(fake.containers))}")) == 3


def test_a_container_still_in_progress_is_transient(fake, connector, account):
    fake.processing_checks = 50
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop long", media=(image(),)))
    assert caught.value.retry_after == 60
    assert fake.account_media() == []


def test_text_only_too_many_hashtags_or_too_long_are_refused_before_any_call(fake, connector, account):
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="Sans image"))
    with pytest.raises(RejectedContent):
        tags = " ".join(f"#tag{n}" for n in range(31))
        connector.publish(account, Content(text=tags, media=(image(),)))
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="x" * 2201, media=(image(),)))
    assert fake.requests == []


def test_an_image_instagram_cannot_download_is_refused(fake, connector, account):
    connector.public_url = lambda media: "http://127.0.0.1:9/nowhere.png"
    with pytest.raises(RejectedContent, match="could not be fetched"):
        connector.publish(account, Content(text="Introuvable", media=(image(),)))


def test_without_a_public_url_provider_publishing_fails_permanently(fake, account, settings):
    settings.NETWORK_MEDIA_URL_PROVIDER = ""
    with pytest.raises(PermanentError):
        InstagramConnector().publish(account, Content(text="Pas d'adresse", media=(image(),)))


def test_provider_from_settings(fake, account, settings, images):
    settings.NETWORK_MEDIA_URL_PROVIDER = "terrain.networks.tests.test_instagram.provider_for_test"
    provider_for_test.host = images
    InstagramConnector().publish(account, Content(text="Par réglage", media=(image(),)))
    assert len(fake.account_media()) == 1


def provider_for_test(media: Media) -> str:
    return provider_for_test.host.put(media)


def test_dropped_publish_is_uncertain_and_found_afterwards(fake, connector, account):
    content = Content(text="Manif samedi ref:q7q7", marker="q7q7", media=(image(),))
    fake.drop_next(path_contains="/media_publish")

    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    found = connector.find_published(account, content)
    assert found is not None and found.remote_id == fake.account_media()[0]["id"]
    assert connector.find_published(account, Content(text="x", marker="absent")) is None


def test_find_published_recognises_the_same_caption_but_not_an_old_one(fake, connector, account):
    content = Content(text="Congrès régional", marker="hidden2", media=(image(),))
    fake.drop_next(path_contains="/media_publish")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    (media,) = fake.account_media()
    assert connector.find_published(account, content).remote_id == media["id"]
    media["timestamp"] = "2025-11-01T08:00:00+0000"
    assert connector.find_published(account, content) is None


def test_timeout_creating_the_container_is_only_transient(fake, connector, account, short_timeout):
    fake.slow_next(1.5, path_contains="/media")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Lent", media=(image(),)))
    assert not isinstance(caught.value, UncertainOutcome)


def test_timeout_publishing_is_uncertain(fake, connector, account, short_timeout):
    fake.slow_next(1.5, path_contains="/media_publish")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent", media=(image(),)))


def test_delete(fake, connector, account):
    post = connector.publish(account, Content(text="À retirer", media=(image(),)))
    connector.delete(account, post.remote_id)
    assert fake.account_media() == []
    connector.delete(account, post.remote_id)  # already gone: nothing to do


def test_metrics_and_followers(fake, connector, account):
    post = connector.publish(account, Content(text="Mesures", media=(image(),)))
    fake.engage_media(post.remote_id, likes=12, comments=4, shares=3, reach=250, saved=5)
    fake.ig_users[fake.ig_user_id]["followers_count"] = 999

    metrics = connector.fetch_metrics(account, post.remote_id)

    assert (metrics.likes, metrics.replies, metrics.reposts) == (12, 4, 3)
    assert metrics.extra == {"reach": 250, "saved": 5}
    assert connector.fetch_followers(account) == 999
    assert connector.validate_credentials(account).handle == "sectionterrain"


def test_oauth_lists_linked_accounts_and_stores_the_page_token(fake, connector):
    fake.add_page("Page sans Instagram", managers=[fake.user_id])
    url = connector.authorization_url(
        api_base=fake.base_url, redirect_uri="https://terrain.example/cb", state="st", client={}
    )
    assert "instagram_content_publish" in parse_qs(urlsplit(url).query)["scope"][0]
    code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]

    secrets = connector.exchange_code(
        api_base=fake.base_url, code=code, redirect_uri="https://terrain.example/cb", client={}
    )
    accounts = connector.list_pages(secrets["access_token"], api_base=fake.base_url)

    assert [(a.remote_id, a.handle, a.followers) for a in accounts] == [(fake.ig_user_id, "sectionterrain", 800)]
    stored = connector.page_secrets(secrets, fake.ig_user_id, api_base=fake.base_url)
    assert stored == {"access_token": fake.page_token(), "page_id": fake.page_id, "ig_user_id": fake.ig_user_id}


def test_throttled_is_transient_with_retry_after(fake, connector, account):
    fake.fail_next(400, path_contains="/media", **throttled(4, minutes=2))
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Vite", media=(image(),)))
    assert caught.value.retry_after == 120


def test_server_error_is_transient(fake, connector, account):
    fake.fail_next(503, json={"error": {"message": "Service temporarily unavailable", "code": 2}})
    with pytest.raises(TransientError):
        connector.fetch_followers(account)


def test_expired_and_revoked_tokens_are_auth_errors(fake, connector, account):
    fake.expire(account.secrets["access_token"])
    with pytest.raises(AuthError):
        connector.publish(account, Content(text="Expiré", media=(image(),)))
    fake.tokens[account.secrets["access_token"]]["state"] = "ok"
    fake.revoke(account.secrets["access_token"])
    with pytest.raises(AuthError):
        connector.fetch_metrics(account, "1")


def test_connecting_a_person_with_one_instagram_account_chooses_it(fake, connector):
    url = connector.authorization_url(api_base=fake.base_url, redirect_uri="https://t.example/cb", state="s", client={})
    code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]
    secrets = connector.exchange_code(api_base=fake.base_url, code=code, redirect_uri="https://t.example/cb", client={})
    data = AccountData(api_base=fake.base_url, secrets=dict(secrets))

    assert connector.validate_credentials(data).remote_id == fake.ig_user_id
    assert data.secrets["ig_user_id"] == fake.ig_user_id and data.secrets_changed

    other_page = fake.add_page("Autre page", managers=[fake.user_id])
    fake.link_instagram(other_page, "unionlocale")
    with pytest.raises(PermanentError):
        connector.validate_credentials(AccountData(api_base=fake.base_url, secrets=dict(secrets)))


def test_the_fake_gives_working_demo_credentials(fake, connector):
    """``python -m terrain.networks.fakes <kind>`` prints them for the demo."""
    words = dict(word.split("=", 1) for word in fake.credentials().split())
    assert (words["FACEBOOK_APP_ID"], words["FACEBOOK_APP_SECRET"]) == (fake.client_id, fake.client_secret)
    secrets = {k: v for k, v in words.items() if k.islower()}
    data = AccountData(api_base=fake.base_url, secrets=secrets, remote_id=secrets["ig_user_id"])
    assert connector.validate_credentials(data).remote_id == fake.ig_user_id
