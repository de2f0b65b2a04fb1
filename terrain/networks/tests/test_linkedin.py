"""The LinkedIn organisation page connector against the local LinkedIn API."""

from __future__ import annotations

import time
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
from terrain.networks.linkedin.connector import LINKEDIN_VERSION, LinkedInConnector, little_text, plain_text
from terrain.networks.registry import get_connector
from terrain.networks.tests.fixtures.linkedin import account_fixture, connector_fixture, fake_fixture  # noqa: F401 (fixtures)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_registry_and_counting():
    connector = get_connector("linkedin")
    assert isinstance(connector, LinkedInConnector)
    assert connector.max_chars == 3000
    assert connector.count_characters("Élections CSE : votez !") == 23


def test_little_text_escapes_reserved_characters_and_keeps_hashtags():
    text = "Réunion (salle B) #NAO2026 avec @Marie_L, 50 % [ordre du jour]"
    escaped = little_text(text)
    assert escaped == r"Réunion \(salle B\) {hashtag|\#|NAO2026} avec \@Marie\_L, 50 % \[ordre du jour\]"
    assert plain_text(escaped) == text
    link = "Voir https://example.org/#/tract_2 #CSE"
    assert little_text(link) == r"Voir https://example.org/\#/tract\_2 {hashtag|\#|CSE}"
    assert plain_text(little_text(link)) == link


def test_publish_text_as_the_organisation(fake, connector, account):
    post = connector.publish(account, Content(text="Assemblée (ouverte à tou·tes) #greve"))

    (stored,) = fake.org_posts()
    assert post.remote_id == stored["id"]
    assert post.url == f"https://www.linkedin.com/feed/update/{stored['id']}/"
    assert stored["author"] == f"urn:li:organization:{fake.org_id}"
    assert stored["visibility"] == "PUBLIC" and stored["lifecycleState"] == "PUBLISHED"
    request = fake.calls("POST", "/rest/posts")[0]
    assert request.header("linkedin-version") == LINKEDIN_VERSION
    assert request.header("x-restli-protocol-version") == "2.0.0"


def test_publish_a_link_as_an_article(fake, connector, account):
    connector.publish(account, Content(text="Notre analyse", link="https://example.org/a", title="Analyse"))
    assert fake.org_posts()[0]["content"] == {"article": {"source": "https://example.org/a", "title": "Analyse"}}


def test_publish_an_image_with_alt_text(fake, connector, account):
    media = Media(data=PNG, mime_type="image/png", alt="Banderole intersyndicale")

    connector.publish(account, Content(text="En photo", media=(media,), link="https://example.org/p"))

    (stored,) = fake.org_posts()
    image = stored["content"]["media"]
    assert image["altText"] == "Banderole intersyndicale"
    assert fake.images[image["id"]]["data"] == PNG
    assert plain_text(stored["commentary"]) == "En photo\n\nhttps://example.org/p"


def test_publish_several_images(fake, connector, account):
    media = tuple(Media(data=PNG + bytes([n]), mime_type="image/png", alt=f"Photo {n}") for n in range(3))
    connector.publish(account, Content(text="Album", media=media))
    images = fake.org_posts()[0]["content"]["multiImage"]["images"]
    assert [i["altText"] for i in images] == ["Photo 0", "Photo 1", "Photo 2"]


def test_dropped_answer_is_uncertain_then_found(fake, connector, account):
    content = Content(text="Mobilisation jeudi réf w4w4", marker="w4w4")
    fake.drop_next(path_contains="/rest/posts")

    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    found = connector.find_published(account, content)
    assert found is not None and found.remote_id == fake.org_posts()[0]["id"]
    assert connector.find_published(account, Content(text="x", marker="absent")) is None


def test_find_published_recognises_the_same_text_but_not_an_old_one(fake, connector, account):
    content = Content(text="Négociation annuelle (NAO) : nos demandes #salaires", marker="hidden3")
    fake.drop_next(path_contains="/rest/posts")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, content)

    (post,) = fake.org_posts()
    assert connector.find_published(account, content).remote_id == post["id"]
    post["publishedAt"] = post["createdAt"] = int((time.time() - 3 * 86400) * 1000)
    assert connector.find_published(account, content) is None


def test_find_published_looks_in_the_article_link(fake, connector, account):
    connector.publish(account, Content(text="Lien suivi", link="https://terrain.example/l/1?m=v5v5"))
    assert connector.find_published(account, Content(text="Lien suivi", marker="v5v5")) is not None


def test_delete(fake, connector, account):
    post = connector.publish(account, Content(text="À retirer"))
    connector.delete(account, post.remote_id)
    assert fake.org_posts() == []
    connector.delete(account, post.remote_id)  # already gone: nothing to do


def test_metrics_and_followers(fake, connector, account):
    post = connector.publish(account, Content(text="Statistiques"))
    fake.engage(post.remote_id, likes=9, comments=2, shares=4, impressions=300, clicks=17)
    fake.orgs[fake.org_id]["followers"] = 3100

    metrics = connector.fetch_metrics(account, post.remote_id)

    assert (metrics.likes, metrics.replies, metrics.reposts) == (9, 2, 4)
    assert metrics.extra == {"impressions": 300, "clicks": 17}
    assert connector.fetch_followers(account) == 3100
    info = connector.validate_credentials(account)
    assert (info.remote_id, info.handle, info.display_name, info.followers) == (
        fake.org_id,
        "syndicat-terrain",
        "Syndicat Terrain",
        3100,
    )


def test_oauth_code_exchange_and_organisation_choice(fake, connector):
    client = connector.register_client(api_base=fake.base_url, redirect_uri="https://terrain.example/cb")
    assert client == {"client_id": fake.client_id}
    url = connector.authorization_url(
        api_base=fake.base_url, redirect_uri="https://terrain.example/cb", state="st8", client=client
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{fake.base_url}/oauth/v2/authorization?")
    assert query["scope"] == ["w_organization_social r_organization_social rw_organization_admin"]
    assert query["response_type"] == ["code"]
    back = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)
    assert back["state"] == ["st8"]

    secrets = connector.exchange_code(
        api_base=fake.base_url, code=back["code"][0], redirect_uri="https://terrain.example/cb", client={}
    )
    assert secrets["access_token"] in fake.tokens and secrets["refresh_token"] in fake.refresh_tokens
    member_page = fake.add_org("Page où je suis membre", "membre", role="ANALYST")
    other = fake.add_org("Union régionale", "union-regionale", role="CONTENT_ADMINISTRATOR")

    pages = connector.list_pages(secrets["access_token"], api_base=fake.base_url)

    assert {p.remote_id for p in pages} == {fake.org_id, other}
    assert member_page not in {p.remote_id for p in pages}
    stored = connector.page_secrets(secrets, other, api_base=fake.base_url)
    assert stored["organization_id"] == other and stored["refresh_token"] == secrets["refresh_token"]
    with pytest.raises(PermanentError):
        connector.page_secrets(secrets, member_page, api_base=fake.base_url)


def test_expired_token_is_refreshed_and_the_new_one_kept(fake, connector, account):
    old = account.secrets["access_token"]
    fake.expire(old)

    connector.publish(account, Content(text="Après rafraîchissement"))

    assert account.secrets_changed
    assert account.secrets["access_token"] != old
    assert fake.tokens[account.secrets["access_token"]]["state"] == "ok"
    assert len(fake.org_posts()) == 1


def test_token_near_its_end_is_refreshed_before_the_call(fake, connector, account):
    account.secrets["expires_at"] = int(time.time()) + 10
    connector.fetch_followers(account)
    assert account.secrets_changed
    assert len(fake.calls("POST", "/oauth/v2/accessToken")) == 1


def test_expired_token_without_refresh_token_is_an_auth_error(fake, connector, account):
    fake.expire(account.secrets["access_token"])
    del account.secrets["refresh_token"]
    with pytest.raises(AuthError, match="expired"):
        connector.publish(account, Content(text="Jeton expiré"))


def test_revoked_token_is_an_auth_error(fake, connector, account):
    fake.revoke(account.secrets["access_token"])
    with pytest.raises(AuthError, match=r"invalid_grant|revoked"):
        connector.publish(account, Content(text="Accès retiré"))
    assert fake.org_posts() == []


def test_rate_limit_is_transient_with_retry_after(fake, connector, account):
    fake.fail_next(
        429,
        path_contains="/rest/posts",
        json={"status": 429, "message": "Resource level throttle DAY limit for calls to this resource is reached."},
        headers={"Retry-After": "120"},
    )
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Trop vite"))
    assert caught.value.retry_after == 120
    assert fake.org_posts() == []


def test_server_error_is_transient(fake, connector, account):
    fake.fail_next(504, json={"status": 504, "message": "Gateway Timeout"})
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert caught.value.status == 504


def test_timeouts(fake, connector, account, short_timeout):
    fake.slow_next(1.5, path_contains="/rest/posts")
    with pytest.raises(UncertainOutcome):
        connector.publish(account, Content(text="Lent"))
    fake.slow_next(1.5, path_contains="/networkSizes")
    with pytest.raises(TransientError) as caught:
        connector.fetch_followers(account)
    assert not isinstance(caught.value, UncertainOutcome)


def test_image_upload_timeout_is_only_transient(fake, connector, account, short_timeout):
    fake.slow_next(1.5, path_contains="/rest/images")
    with pytest.raises(TransientError) as caught:
        connector.publish(account, Content(text="Image", media=(Media(PNG, "image/png", "alt"),)))
    assert not isinstance(caught.value, UncertainOutcome)


def test_duplicate_and_too_long_are_refused(fake, connector, account):
    connector.publish(account, Content(text="Une seule fois"))
    with pytest.raises(RejectedContent, match="duplicate"):
        connector.publish(account, Content(text="Une seule fois"))
    with pytest.raises(RejectedContent):
        connector.publish(account, Content(text="x" * 3001))
    assert len(fake.org_posts()) == 1


def test_losing_the_page_role_is_an_auth_error(fake, connector, account):
    fake.acls.clear()
    with pytest.raises(AuthError, match="permissions"):
        connector.publish(account, Content(text="Plus administrateur·rice"))


def test_connecting_a_member_of_one_page_chooses_it(fake, connector):
    url = connector.authorization_url(api_base=fake.base_url, redirect_uri="https://t.example/cb", state="s", client={})
    code = parse_qs(urlsplit(httpx.get(url).headers["location"]).query)["code"][0]
    secrets = connector.exchange_code(api_base=fake.base_url, code=code, redirect_uri="https://t.example/cb", client={})
    data = AccountData(api_base=fake.base_url, secrets=dict(secrets))

    assert connector.validate_credentials(data).remote_id == fake.org_id
    assert data.secrets["organization_id"] == fake.org_id and data.secrets_changed

    fake.add_org("Autre page", "autre")
    with pytest.raises(PermanentError):
        connector.validate_credentials(AccountData(api_base=fake.base_url, secrets=dict(secrets)))


def test_the_fake_gives_working_demo_credentials(fake, connector):
    """``python -m terrain.networks.fakes linkedin`` prints them for the demo."""
    words = dict(word.split("=", 1) for word in fake.credentials().split())
    assert (words["LINKEDIN_CLIENT_ID"], words["LINKEDIN_CLIENT_SECRET"]) == (fake.client_id, fake.client_secret)
    secrets = {k: v for k, v in words.items() if k.islower()}
    data = AccountData(api_base=fake.base_url, secrets=secrets, remote_id=secrets["organization_id"])
    assert connector.validate_credentials(data).remote_id == fake.org_id
