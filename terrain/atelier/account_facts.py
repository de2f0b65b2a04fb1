"""What other apps say about each connected account, on the accounts page.

The workshop connects the accounts; other apps use them (the inbox reads them) and have
something to say about each: "read 3 minutes ago", "cannot be read: a permission is missing".
An app registers a *provider* when it starts (``AppConfig.ready``): a function that takes the
page's accounts and returns, by account id, the facts it has about them. A provider reads
every account of the page at once (a few queries whatever their number), never one by one.

A fact that asks for a reconnection (``reconnect``) puts the "Reconnect" button next to an
account that still publishes: connecting it again grants what it lacks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

OK, INFO, ERROR = "ok", "info", "error"


@dataclass(frozen=True)
class AccountFact:
    #: One sentence, in the active language.
    text: str
    #: ``ok``, ``info`` or ``error``: how the page shows it.
    level: str = INFO
    #: Connecting the account again cures what the fact says.
    reconnect: bool = False


Provider = Callable[[Sequence], dict[int, list[AccountFact]]]
_PROVIDERS: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """Add (or replace) the provider ``name``."""
    _PROVIDERS[name] = provider


def account_facts(accounts: Sequence) -> dict[int, list[AccountFact]]:
    """Every provider's facts about ``accounts``, by account id, in the order providers registered."""
    facts: dict[int, list[AccountFact]] = {account.pk: [] for account in accounts}
    if not accounts:
        return facts
    for provider in _PROVIDERS.values():
        for account_id, found in provider(accounts).items():
            if account_id not in facts:
                raise ValueError(f"Account facts provider {provider!r} spoke of an account not on the page.")
            facts[account_id].extend(found)
    return facts
