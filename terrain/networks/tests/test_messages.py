"""What people read when a network cannot be reached: French words, not the library's English."""

from __future__ import annotations

import pytest

from terrain.networks.base import AccountData, TransientError
from terrain.networks.registry import get_connector

SECRETS = {
    "mastodon": {"access_token": "jeton"},
    "bluesky": {"identifier": "syndicat.bsky.social", "app_password": "abcd-efgh"},
    "telegram": {"bot_token": "123:abc", "chat_id": "@canal"},
}


@pytest.mark.parametrize("kind", sorted(SECRETS))
@pytest.mark.parametrize("address", ["http://127.0.0.1:9", "https://nowhere.invalid"])
def test_an_unreachable_network_is_said_in_words(kind, address, settings):
    settings.NETWORK_API_BASES = {kind: address}
    connector = get_connector(kind)
    account = AccountData(api_base=address if kind == "mastodon" else "", secrets=dict(SECRETS[kind]))
    with pytest.raises(TransientError) as caught:
        connector.validate_credentials(account)
    message = caught.value.message
    assert "Terrain n’a pas pu joindre le serveur" in message
    for technical in ("Errno", "NameResolution", "HTTPConnectionPool", "ConnectError", "refused", "Max retries"):
        assert technical not in message
