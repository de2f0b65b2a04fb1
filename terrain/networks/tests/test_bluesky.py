"""The Bluesky connector against the local XRPC fake."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from terrain.networks.base import (
    AccountData,
    AuthError,
    Content,
    Media,
    RejectedContent,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.bluesky.connector import BlueskyConnector, facets
from terrain.networks.registry import get_connector
from terrain.networks.tests.fixtures.bluesky import (  # noqa: F401 (fixtures)
    HANDLE,
    account_fixture,
    connector_fixture,
    fake_fixture,
    server_fixture,
)
from terrain.networks.tests.helpers import ForwardingProxy, wait_for


def test_registered_in_the_registry():
    assert isinstance(get_connector("bluesky"), BlueskyConnector)


def test_counts_graphemes():
    connector = BlueskyConnector()
    assert connector.count_characters("Grève 👩‍👩‍👧‍👦") == 7  # a family emoji is one grapheme


def test_facets_mark_links_and_hashtags_by_byte_offsets():
    text = "Élections #CSE : https://example.org/vote#bureau"
    found = facets(text)
    encoded = text.encode()
    spans = [encoded[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in found]
    assert spans == ["#CSE", "https://example.org/vote#bureau"]
    assert found[0]["features"][0] == {"$type": "app.bsky.richtext.facet#tag", "tag": "CSE"}


def test_validate_credentials_opens_a_session_and_reads_the_profile(connector, account):
    info = connector.validate_credentials(account)
    assert info.handle == f"@{HANDLE}"
    assert info.followers == 42
    assert info.remote_id.startswith("did:plc:")
    assert account.secrets_changed
    assert account.secrets["access_jwt"] and account.secrets["refresh_jwt"]


def test_calls_go_to_the_account_own_server_named_by_the_session(connector, fake, account):
    """bsky.social signs in; the account's data lives on its PDS, named in the DID document."""
    with ForwardingProxy(fake.base_url) as pds:
        fake.pds_url = pds.base_url
        connector.validate_credentials(account)
        connector.publish(account, Content(text="Sur mon serveur", marker="pds"))
        assert account.secrets["pds"] == pds.base_url
    assert [r.path.rpartition("/")[2] for r in pds.requests] == [
        "app.bsky.actor.getProfile",
        "com.atproto.repo.createRecord",
    ]
    assert len(fake.calls("POST", "createSession")) == 1


def test_wrong_app_password_is_an_auth_error(connector, fake):
    account = AccountData(api_base=fake.base_url, secrets={"identifier": HANDLE, "app_password": "nope"})
    with pytest.raises(AuthError):
        connector.validate_credentials(account)


def test_publish_text_with_link_facet_and_marker(connector, fake, account):
    post = connector.publish(account, Content(text="Assemblée générale", link="https://example.org/ag", marker="m1"))
    [record] = fake.posts(HANDLE)
    assert record["text"] == "Assemblée générale\n\nhttps://example.org/ag"
    assert record["facets"][0]["features"][0]["uri"] == "https://example.org/ag"
    assert record["embed"]["external"]["uri"] == "https://example.org/ag"
    assert record["terrainMarker"] == "m1"
    assert post.remote_id.startswith("at://did:plc:")
    assert post.url.startswith(f"https://bsky.app/profile/{HANDLE}/post/")


def test_a_link_that_would_not_fit_goes_in_the_card_only(connector, fake, account):
    text = "a" * 290
    connector.publish(account, Content(text=text, link="https://example.org/un-lien-assez-long", marker="c"))
    [record] = fake.posts(HANDLE)
    assert record["text"] == text
    assert record["embed"]["external"]["uri"] == "https://example.org/un-lien-assez-long"


def test_publish_with_image_and_alt_text(connector, fake, account, image):
    connector.publish(account, Content(text="Rassemblement", media=(image,), marker="m2"))
    [record] = fake.posts(HANDLE)
    [embedded] = record["embed"]["images"]
    assert embedded["alt"] == image.alt
    assert fake.blobs[embedded["image"]["ref"]["$link"]] == image.data
    assert embedded["image"]["mimeType"] == "image/png"
    assert embedded["aspectRatio"] == {"width": 1, "height": 1}


def test_a_heavy_photo_is_reencoded_under_the_blob_limit(connector, fake, account):
    noise = Image.effect_noise((1000, 750), 100).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    heavy = Media(data=buffer.getvalue(), mime_type="image/png", alt="Bruit", filename="bruit.png")
    assert len(heavy.data) > 1_000_000
    connector.publish(account, Content(text="Lourde", media=(heavy,), marker="h"))
    [embedded] = fake.posts(HANDLE)[0]["embed"]["images"]
    blob = fake.blobs[embedded["image"]["ref"]["$link"]]
    assert len(blob) <= 1_000_000
    assert embedded["image"]["mimeType"] == "image/jpeg"
    assert embedded["aspectRatio"]["width"] / embedded["aspectRatio"]["height"] == pytest.approx(4 / 3, rel=0.01)


def test_lost_answer_is_uncertain_then_found_without_duplicate(connector, fake, account):
    content = Content(text="Grève jeudi", marker="lost1")
    connector.validate_credentials(account)
    fake.drop_next(path_contains="createRecord")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)
    found = connector.find_published(account, content)
    assert found is not None
    assert len(fake.posts(HANDLE)) == 1
    assert connector.find_published(account, Content(text="Grève jeudi", marker="other")) is None


def test_timeout_while_posting_is_uncertain(connector, fake, account, short_timeout):
    connector.validate_credentials(account)
    fake.slow_next(1.0, path_contains="createRecord")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent", marker="slow"))
    assert wait_for(lambda: len(fake.posts(HANDLE)) == 1)  # it did go out: the outcome was uncertain


def test_timeout_while_reading_is_transient(connector, fake, account, short_timeout):
    connector.validate_credentials(account)
    fake.slow_next(1.0, path_contains="getProfile")
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert not isinstance(caught.value, UncertainOutcome)


def test_expired_access_token_is_refreshed_and_the_call_retried(connector, fake, account):
    connector.validate_credentials(account)
    old = account.secrets["access_jwt"]
    account.secrets_changed = False
    fake.expire_token(old)
    connector.publish(account, Content(text="Après expiration", marker="e"))
    assert len(fake.posts(HANDLE)) == 1
    assert account.secrets["access_jwt"] != old
    assert account.secrets_changed
    assert len(fake.calls("POST", "refreshSession")) == 1


def test_expired_refresh_token_signs_in_again_with_the_app_password(connector, fake, account):
    connector.validate_credentials(account)
    fake.expire_token(account.secrets["access_jwt"])
    fake.expire_token(account.secrets["refresh_jwt"])
    assert connector.fetch_followers(account) == 42
    assert len(fake.calls("POST", "createSession")) == 2


def test_revoked_app_password_is_an_auth_error(connector, fake, account):
    connector.validate_credentials(account)
    fake.revoke_password(HANDLE)
    with pytest.raises(AuthError):
        connector.publish(account, Content(text="Après révocation", marker="r"))
    assert fake.posts(HANDLE) == []


def test_rate_limit_gives_the_reset_time(connector, fake, account):
    connector.validate_credentials(account)
    fake.rate_limit_next(reset_in=90, path_contains="createRecord")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop vite", marker="q"))
    assert caught.value.status == 429
    assert 80 <= caught.value.retry_after <= 90
    assert fake.posts(HANDLE) == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_transient(connector, fake, account, status):
    connector.validate_credentials(account)
    fake.fail_next(status, path_contains="createRecord", json={"error": "InternalServerError", "message": "oops"})
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Bonjour", marker="s"))
    assert caught.value.status == status
    assert not isinstance(caught.value, UncertainOutcome)


def test_too_long_is_refused(connector, fake, account):
    with pytest.raises(RejectedContent) as caught:
        connector.publish(account, Content(text="a" * 301, marker="long"))
    assert "300 graphemes" in caught.value.message


def test_delete(connector, fake, account):
    post = connector.publish(account, Content(text="À supprimer", marker="d"))
    connector.delete(account, post.remote_id)
    assert fake.posts(HANDLE) == []


def test_metrics(connector, fake, account):
    post = connector.publish(account, Content(text="Venez", marker="k"))
    fake.like(post.remote_id, 5)
    fake.repost(post.remote_id, 2)
    fake.reply(post.remote_id)
    metrics = connector.fetch_metrics(account, post.remote_id)
    assert (metrics.likes, metrics.reposts, metrics.replies) == (5, 2, 1)


def test_created_at_is_utc_iso(connector, fake, account):
    connector.publish(account, Content(text="Heure", marker="t"))
    created = datetime.fromisoformat(fake.posts(HANDLE)[0]["createdAt"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - created).total_seconds()) < 5
