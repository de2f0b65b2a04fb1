"""One-tap share addresses, for a member's own accounts.

Each network's connector declares its share address (``Connector.share``, see
:mod:`terrain.networks.sharing`); the two targets that are not networks Terrain
publishes to, WhatsApp and e-mail, are declared here and registered by
:meth:`terrain.relays.apps.RelaysConfig.ready`. Nothing is posted without the member
pressing send.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from terrain.lib.text import shorten
from terrain.networks import registry
from terrain.networks.sharing import ShareLink, ShareText

__all__ = ["ShareText", "clean_instance", "register_share_links", "share_target"]

# A Mastodon server name: letters, digits, hyphens and dots (no scheme, no path).
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def clean_instance(value: str) -> str:
    """``https://Mastodon.Social/@me`` or ``@me@mastodon.social`` → ``mastodon.social``; "" if not a server name."""
    value = (value or "").strip().lower()
    if value.startswith("@") or (value.count("@") == 1 and "/" not in value):
        value = value.rsplit("@", 1)[-1]
    value = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split("?", 1)[0]
    return value if _DOMAIN.match(value) else ""


class WhatsAppShare(ShareLink):
    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"https://wa.me/?text={quote(self.text(share))}"


class EmailShare(ShareLink):
    def url(self, share: ShareText, *, instance: str = "") -> str:
        return f"mailto:?subject={quote(share.subject or shorten(share.body, 60))}&body={quote(self.text(share))}"


def register_share_links() -> None:
    registry.register_share_link("whatsapp", "WhatsApp", WhatsAppShare())
    registry.register_share_link("email", _("E-mail"), EmailShare())


def share_target(network: str, share: ShareText, *, mastodon_instance: str = "") -> str:
    """The address that opens ``network``'s composer for ``share``; "" when it cannot (no instance, no link)."""
    target = registry.share_target(network)
    return target.link.url(share, instance=mastodon_instance) if target is not None else ""
