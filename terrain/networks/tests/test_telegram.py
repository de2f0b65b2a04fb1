"""The Telegram connector against the local Bot API fake."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from terrain.networks.base import (
    AccountData,
    AuthError,
    Content,
    PermanentError,
    RejectedContent,
    TransientError,
    UncertainOutcome,
)
from terrain.networks.fakes.telegram import BOT_TOKEN, FakeTelegram
from terrain.networks.registry import get_connector
from terrain.networks.telegram.connector import TelegramConnector
from terrain.networks.tests.helpers import wait_for


@pytest.fixture(scope="module")
def server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def fake(server) -> FakeTelegram:
    server.reset()
    return server


@pytest.fixture
def connector() -> TelegramConnector:
    return TelegramConnector()


@pytest.fixture
def account(fake) -> AccountData:
    return AccountData(api_base=fake.base_url, secrets={"bot_token": BOT_TOKEN, "chat_id": "@syndicat_info"})


def test_registered_in_the_registry():
    assert isinstance(get_connector("telegram"), TelegramConnector)


def test_counts_characters():
    assert TelegramConnector().count_characters("Grève générale") == 14


def test_validate_credentials(connector, account):
    info = connector.validate_credentials(account)
    assert info.handle == "@syndicat_info"
    assert info.remote_id == "-1001234567890"
    assert info.followers == 321
    assert info.url == "https://t.me/syndicat_info"


def test_bot_without_the_right_to_post_is_refused_at_connection(connector, fake, account):
    fake.demote_bot()
    with pytest.raises(AuthError) as caught:
        connector.validate_credentials(account)
    assert "administrateur" in caught.value.message


def test_unknown_channel_is_an_auth_error(connector, fake):
    account = AccountData(api_base=fake.base_url, secrets={"bot_token": BOT_TOKEN, "chat_id": "@nowhere"})
    with pytest.raises(AuthError):
        connector.validate_credentials(account)


def test_publish_text_with_link(connector, fake, account):
    post = connector.publish(account, Content(text="Assemblée générale", link="https://example.org/ag"))
    [message] = fake.channel_posts()
    assert message["text"] == "Assemblée générale\n\nhttps://example.org/ag"
    assert post.remote_id == str(message["message_id"])
    assert post.url == f"https://t.me/syndicat_info/{message['message_id']}"


def test_publish_one_image_with_its_caption(connector, fake, account, image):
    connector.publish(account, Content(text="Rassemblement", media=(image,)))
    [message] = fake.channel_posts()
    assert message["caption"] == "Rassemblement"
    assert message["photo"][0]["file_size"] == len(image.data)


def test_publish_an_album(connector, fake, account, image):
    post = connector.publish(account, Content(text="Trois photos", media=(image, image, image)))
    messages = fake.channel_posts()
    assert len(messages) == 3
    assert len({m["media_group_id"] for m in messages}) == 1
    assert [m.get("caption") for m in messages] == ["Trois photos", None, None]
    assert post.remote_id.split(",") == [str(m["message_id"]) for m in messages]
    connector.delete(account, post.remote_id)
    assert fake.channel_posts() == []


def test_caption_over_1024_is_refused_before_sending(connector, fake, account, image):
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="a" * 1025, media=(image,)))
    assert fake.calls("POST", "sendPhoto") == []


def test_text_over_4096_is_refused_by_telegram(connector, fake, account):
    with pytest.raises(RejectedContent) as caught:
        connector.publish(account, Content(text="a" * 4097))
    assert "too long" in caught.value.message


def test_lost_answer_is_uncertain_and_cannot_be_checked(connector, fake, account):
    """A bot cannot read its channel: the connector says so instead of risking a second copy."""
    content = Content(text="Grève jeudi", marker="lost")
    fake.drop_next(path_contains="sendMessage")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)
    assert len(fake.channel_posts()) == 1
    with pytest.raises(PermanentError) as caught:
        connector.find_published(account, content)
    assert "regardez la chaîne" in caught.value.message


def test_timeout_while_posting_is_uncertain(connector, fake, account, short_timeout):
    fake.slow_next(1.0, path_contains="sendMessage")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent"))
    assert wait_for(lambda: len(fake.channel_posts()) == 1)  # it did go out: the outcome was uncertain


def test_timeout_while_reading_is_transient(connector, fake, account, short_timeout):
    fake.slow_next(1.0, path_contains="getChatMemberCount")
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert not isinstance(caught.value, UncertainOutcome)


def test_too_many_requests_gives_retry_after(connector, fake, account):
    fake.rate_limit_next(retry_after=35, path_contains="sendMessage")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop vite"))
    assert (caught.value.status, caught.value.retry_after) == (429, 35)
    assert fake.channel_posts() == []


@pytest.mark.parametrize("status", [500, 502])
def test_server_errors_are_transient(connector, fake, account, status):
    fake.fail_next(status, path_contains="sendMessage", json={"ok": False, "error_code": status, "description": "x"})
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Bonjour"))
    assert caught.value.status == status
    assert not isinstance(caught.value, UncertainOutcome)


def test_revoked_token_is_an_auth_error(connector, fake, account):
    fake.revoke_token()
    with pytest.raises(AuthError) as caught:
        connector.publish(account, Content(text="Bonjour"))
    assert caught.value.status == 401


def test_kicked_bot_is_an_auth_error(connector, fake, account):
    fake.kick_bot()
    with pytest.raises(AuthError) as caught:
        connector.publish(account, Content(text="Bonjour"))
    assert caught.value.status == 403


def test_delete_and_already_deleted(connector, fake, account):
    post = connector.publish(account, Content(text="À supprimer"))
    connector.delete(account, post.remote_id)
    assert fake.channel_posts() == []
    connector.delete(account, post.remote_id)


def test_metrics_are_empty_and_followers_counted(connector, fake, account):
    post = connector.publish(account, Content(text="Venez"))
    metrics = connector.fetch_metrics(account, post.remote_id)
    assert (metrics.likes, metrics.reposts, metrics.replies) == (0, 0, 0)
    assert connector.has_post_metrics is False
    assert connector.fetch_followers(replace(account, remote_id="-1001234567890")) == 321
