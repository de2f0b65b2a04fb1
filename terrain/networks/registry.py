"""The connector registry: one instance per network kind."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from terrain.networks.base import Connector

#: kind -> dotted path of the connector class; `settings.NETWORK_CONNECTORS` may add or replace.
BUILTIN = {
    "mastodon": "terrain.networks.mastodon.connector.MastodonConnector",
    "bluesky": "terrain.networks.bluesky.connector.BlueskyConnector",
    "facebook": "terrain.networks.facebook.connector.FacebookConnector",
    "instagram": "terrain.networks.instagram.connector.InstagramConnector",
    "linkedin": "terrain.networks.linkedin.connector.LinkedInConnector",
    "telegram": "terrain.networks.telegram.connector.TelegramConnector",
    "x": "terrain.networks.x.connector.XConnector",
    "newsletter": "terrain.networks.newsletter.connector.NewsletterConnector",
    "rss": "terrain.networks.rss.connector.RssConnector",
}

_instances: dict[str, Connector] = {}


def _paths() -> dict[str, str]:
    return {**BUILTIN, **getattr(settings, "NETWORK_CONNECTORS", {})}


def available_kinds() -> list[str]:
    """Kinds whose package is importable, in display order."""
    kinds = []
    for kind in _paths():
        try:
            get_connector(kind)
        except (ImportError, AttributeError):
            continue
        kinds.append(kind)
    return kinds


def get_connector(kind: str) -> Connector:
    if kind not in _instances:
        module_path, _, class_name = _paths()[kind].rpartition(".")
        _instances[kind] = getattr(import_module(module_path), class_name)()
    return _instances[kind]


def choices() -> list[tuple[str, str]]:
    return [(kind, get_connector(kind).label) for kind in available_kinds()]
