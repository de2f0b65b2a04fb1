"""One-tap share addresses: how a member opens a network's composer already filled in.

A connector that has one declares ``share = <its ShareLink>``; a share target with no
connector (a messaging app, e-mail) is registered with
:func:`terrain.networks.registry.register_share_link`. Nothing is posted without the
member pressing send.
"""

from __future__ import annotations

from dataclasses import dataclass

from terrain.lib.text import shorten

#: Room for the message's text when the network says nothing tighter.
DEFAULT_BUDGET = 600


@dataclass(frozen=True)
class ShareText:
    line: str  # the member's own words, first
    body: str  # the message's text
    url: str  # the link to share (tracked), or ""
    subject: str = ""

    def text(self, *, budget: int = DEFAULT_BUDGET, with_url: bool = True) -> str:
        body = shorten(self.body, budget, one_line=False)
        parts = [p for p in (self.line.strip(), body, self.url if with_url else "") if p]
        return "\n\n".join(parts)


class ShareLink:
    """A network's share address; subclasses set ``budget`` and write :meth:`url`."""

    #: Room for the message's text, leaving room for the member's line and the link.
    budget: int = DEFAULT_BUDGET

    def text(self, share: ShareText, *, with_url: bool = True) -> str:
        return share.text(budget=self.budget, with_url=with_url)

    def url(self, share: ShareText, *, instance: str = "") -> str:
        """The address that opens the composer; "" when it cannot (no link, no server).

        ``instance`` is the member's own server on a federated network ("" when unknown).
        """
        raise NotImplementedError
