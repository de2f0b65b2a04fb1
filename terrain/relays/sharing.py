"""One-tap share addresses of the networks, for a member's own accounts.

Each network has its own "share" or "intent" address that opens the member's
composer already filled in; nothing is posted without the member pressing send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from terrain.lib.text import shorten
from terrain.relays.models import ShareNetwork

# A Mastodon server name: letters, digits, hyphens and dots (no scheme, no path).
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# Room for the personal line and the link, within each network's own limit.
TEXT_BUDGET = {
    ShareNetwork.X: 180,
    ShareNetwork.BLUESKY: 200,
    ShareNetwork.MASTODON: 380,
}
DEFAULT_BUDGET = 600


def clean_instance(value: str) -> str:
    """``https://Mastodon.Social/@me`` or ``@me@mastodon.social`` → ``mastodon.social``; "" if not a server name."""
    value = (value or "").strip().lower()
    if value.startswith("@") or (value.count("@") == 1 and "/" not in value):
        value = value.rsplit("@", 1)[-1]
    value = re.sub(r"^[a-z]+://", "", value).split("/", 1)[0].split("?", 1)[0]
    return value if _DOMAIN.match(value) else ""


@dataclass(frozen=True)
class ShareText:
    line: str  # the member's own words, first
    body: str  # the message's text
    url: str  # the link to share (tracked), or ""
    subject: str = ""

    def text(self, network: str, *, with_url: bool = True) -> str:
        body = shorten(self.body, TEXT_BUDGET.get(network, DEFAULT_BUDGET), one_line=False)
        parts = [p for p in (self.line.strip(), body, self.url if with_url else "") if p]
        return "\n\n".join(parts)


def share_target(network: str, share: ShareText, *, mastodon_instance: str = "") -> str:
    """The address that opens ``network``'s composer for ``share``; "" when it cannot (no instance, no link)."""
    text = share.text(network)
    if network == ShareNetwork.MASTODON:
        return f"https://{mastodon_instance}/share?text={quote(text)}" if mastodon_instance else ""
    if network == ShareNetwork.BLUESKY:
        return f"https://bsky.app/intent/compose?text={quote(text)}"
    if network == ShareNetwork.X:
        return f"https://x.com/intent/post?text={quote(text)}"
    if network == ShareNetwork.WHATSAPP:
        return f"https://wa.me/?text={quote(text)}"
    if network == ShareNetwork.FACEBOOK:
        return f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': share.url})}" if share.url else ""
    if network == ShareNetwork.LINKEDIN:
        return f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': share.url})}" if share.url else ""
    if network == ShareNetwork.TELEGRAM:
        return "https://t.me/share/url?" + urlencode({"url": share.url, "text": share.text(network, with_url=False)})
    if network == ShareNetwork.EMAIL:
        return f"mailto:?subject={quote(share.subject or shorten(share.body, 60))}&body={quote(text)}"
    return ""
