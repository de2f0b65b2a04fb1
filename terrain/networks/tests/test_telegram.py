"""The Telegram connector against the local Bot API fake."""

from __future__ import annotations

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
from terrain.networks.fakes.telegram import BOT_TOKEN
from terrain.networks.registry import get_connector
from terrain.networks.telegram.connector import TelegramConnector
from terrain.networks.tests.fixtures.telegram import account_fixture, connector_fixture, fake_fixture, server_fixture  # noqa: F401 (fixtures)
from terrain.networks.tests.helpers import wait_for


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


def test_lost_answer_is_uncertain_then_found_among_the_bot_s_updates(connector, fake, account):
    """A bot cannot read its channel, but it is sent each new post as an update: the post
    whose answer was lost is found there, and not sent again."""
    connector.publish(account, Content(text="Un autre message"))
    content = Content(text="Grève jeudi", link="https://example.org/greve", marker="lost")
    fake.drop_next(path_contains="sendMessage")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)
    (post,) = [p for p in fake.channel_posts() if p["text"].startswith("Grève jeudi")]
    found = connector.find_published(account, content)
    assert found is not None and found.remote_id == str(post["message_id"])
    assert found.url == f"https://t.me/syndicat_info/{post['message_id']}"
    # Recent updates stay: a second look (another worker) still finds it.
    assert connector.find_published(account, content) == found


def test_a_post_that_never_left_is_not_found(connector, fake, account):
    connector.publish(account, Content(text="Un autre message"))
    assert connector.find_published(account, Content(text="Celui-ci n'est jamais parti")) is None


def test_an_album_is_found_whole(connector, fake, account, image):
    content = Content(text="Rassemblement", media=(image, image))
    fake.drop_next(path_contains="sendMediaGroup")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)
    ids = [str(p["message_id"]) for p in fake.channel_posts()]
    assert connector.find_published(account, content).remote_id == ",".join(ids)


def test_updates_about_old_posts_are_confirmed_recent_ones_kept(connector, fake, account):
    for n in range(3):
        connector.publish(account, Content(text=f"Ancien {n}"))
    fake.age_updates(2 * 3600)
    connector.publish(account, Content(text="Récent"))
    assert connector.find_published(account, Content(text="Absent")) is None
    assert [u["channel_post"]["text"] for u in fake.updates] == ["Récent"]


def test_more_recent_posts_than_a_page_cannot_tell(connector, fake, account):
    for n in range(101):
        connector.publish(account, Content(text=f"Message {n}"))
    with pytest.raises(PermanentError) as caught:
        connector.find_published(account, Content(text="Absent"))
    assert "regardez la chaîne" in caught.value.message


def test_with_a_webhook_the_updates_cannot_tell(connector, fake, account):
    fake.set_webhook()
    with pytest.raises(PermanentError) as caught:
        connector.find_published(account, Content(text="Grève jeudi"))
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
