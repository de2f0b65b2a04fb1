"""Connected accounts: connect, disconnect, read and store their secrets, notice when they break.

Secrets (tokens, app passwords, bot tokens) are encrypted at rest by the model
field; they are decrypted only here, into an :class:`AccountData` handed to a
connector, and never rendered back to anyone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.atelier.models import ConnectedAccount
from terrain.networks.base import AccountData, AccountInfo, AuthError, ConnectorError
from terrain.networks.registry import get_connector
from terrain.structures.models import Official

logger = logging.getLogger(__name__)
Status = ConnectedAccount.Status


def account_data(account: ConnectedAccount) -> AccountData:
    """What a connector needs to act for ``account`` (secrets decrypted).

    Raises AuthError when the secrets cannot be decrypted (SECRET_KEY changed
    without SECRET_KEY_FALLBACKS): the account must be reconnected.
    """
    secrets = account.secrets or {}
    if not isinstance(secrets, dict):  # the field hands back the ciphertext when no key opens it
        raise AuthError(
            _("Terrain can no longer read the secrets stored for this account (the site's key changed): reconnect it.")
        )
    return AccountData(
        api_base=account.api_base,
        secrets=dict(secrets),
        handle=account.handle,
        remote_id=account.remote_id,
        renewing=functools.partial(account_renewing, account.pk) if account.pk else None,
    )


@contextmanager
def account_renewing(account_id: int, data: AccountData) -> Iterator[dict[str, Any]]:
    """Hold the stored account while a connector renews its token (``AccountData.renewal``).

    The row stays locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the
    transaction's write lock) from reading the stored secrets until the renewed ones
    are stored, so a second worker waits, then finds the new token instead of
    spending the refresh token again. Renewals are rare (every two hours at most per
    account) and short (one call, with the network timeout).
    """
    with transaction.atomic():
        row = ConnectedAccount.objects.select_for_update().only("id", "secrets").get(pk=account_id)
        stored = row.secrets if isinstance(row.secrets, dict) else {}
        yield dict(stored)
        account_save_secrets(account=row, data=data)


@transaction.atomic
def account_save_secrets(*, account: ConnectedAccount, data: AccountData) -> None:
    """Store secrets a connector refreshed (a renewed OAuth token)."""
    if not data.secrets_changed:
        return
    account.secrets = data.secrets
    account.save(update_fields=["secrets", "updated_at"])
    data.secrets_changed = False


@transaction.atomic
def account_connect(
    *, structure, network: str, api_base: str, secrets: dict[str, Any], info: AccountInfo, by
) -> ConnectedAccount:
    """Connect an account, or reconnect it (same network, server and remote account): it works again."""
    account = (
        ConnectedAccount.objects.select_for_update()
        .filter(structure=structure, network=network, api_base=api_base, remote_id=info.remote_id)
        .first()
    )
    if account is None:
        account = ConnectedAccount(structure=structure, network=network, api_base=api_base, remote_id=info.remote_id)
    account.handle = info.handle[:200]
    account.display_name = info.display_name[:200]
    account.followers = info.followers
    account.secrets = secrets
    account.status = Status.ACTIVE
    account.status_detail = ""
    account.warned_at = None
    account.checked_at = timezone.now()
    account.connected_by = by
    account.save()
    return account


@transaction.atomic
def account_disconnect(*, account: ConnectedAccount, by) -> ConnectedAccount:
    """Forget the account's secrets. Publications still waiting for it fail when due, and their authors are told."""
    account = ConnectedAccount.objects.select_for_update().get(pk=account.pk)
    account.secrets = {}
    account.status = Status.DISCONNECTED
    account.status_detail = ""
    account.save(update_fields=["secrets", "status", "status_detail", "updated_at"])
    logger.info("Account %s disconnected by %s", account.code, getattr(by, "pk", None))
    return account


def managers_to_warn(account: ConnectedAccount) -> list:
    """Who hears that an account broke: who connected it and the officials of its structure
    (or, if it has none, of the nearest structure above that has some)."""
    users = {}
    if account.connected_by_id and account.connected_by.is_active:
        users[account.connected_by_id] = account.connected_by
    structure = account.structure
    for structure_id in [structure.pk, *reversed(structure.ancestor_ids())]:
        officials = Official.objects.filter(structure_id=structure_id, user__is_active=True).select_related("user")
        officials = list(officials)
        if officials:
            for official in officials:
                users[official.user_id] = official.user
            break
    return list(users.values())


@transaction.atomic
def account_mark_broken(*, account: ConnectedAccount, error: str) -> bool:
    """Mark the account as needing reconnection and warn its managers at once, in the app and by e-mail.

    Once per breakage: only the call that moves it from active to broken warns
    (a burst of failing publications sends one warning). Returns whether it warned.
    """
    now = timezone.now()
    moved = ConnectedAccount.objects.filter(pk=account.pk, status=Status.ACTIVE).update(
        status=Status.BROKEN, status_detail=error[:500], warned_at=now, checked_at=now, updated_at=now
    )
    if not moved:
        return False
    account = ConnectedAccount.objects.select_related("structure", "connected_by").get(pk=account.pk)
    from terrain.feed.services import notifications_and_emails_send

    notifications_and_emails_send(
        users=managers_to_warn(account),
        reason="account_broken",
        summary=lambda: (
            _("%(account)s of %(structure)s: %(error)s")
            % {"account": account, "structure": account.structure.name, "error": error}
        ),
        target_url=reverse("atelier:accounts", args=[account.structure.code]),
        email_template="atelier/accounts/email/account_broken",
        email_context={"account": account, "structure": account.structure, "error": error},
    )
    return True


def account_check(*, account: ConnectedAccount) -> bool:
    """Ask the network whether the account's credentials still work. Returns whether they do.

    A refused token marks the account broken (and warns); a network that does not
    answer proves nothing, so the account stays as it was.
    """
    if account.status == Status.DISCONNECTED:
        return False
    connector = get_connector(account.network)
    try:
        data = account_data(account)
    except AuthError as error:  # the site's key changed: nobody can read these secrets again
        account_mark_broken(account=account, error=error.message)
        return False
    try:
        info = connector.validate_credentials(data)
    except AuthError as error:
        account_mark_broken(account=account, error=error.message)
        return False
    except ConnectorError as error:
        logger.warning("Account %s could not be checked: %s", account.code, error.message)
        return account.status == Status.ACTIVE
    finally:
        if data.secrets_changed:
            account_save_secrets(account=account, data=data)
    fields = {"checked_at": timezone.now(), "followers": info.followers}
    if info.handle:
        fields["handle"] = info.handle[:200]
    if info.display_name:
        fields["display_name"] = info.display_name[:200]
    ConnectedAccount.objects.filter(pk=account.pk).update(**fields)
    # A broken account that works again (its token was renewed elsewhere) is usable again.
    ConnectedAccount.objects.filter(pk=account.pk, status=Status.BROKEN).update(
        status=Status.ACTIVE, status_detail="", warned_at=None
    )
    return True


def accounts_check_all() -> int:
    """Check every active account (periodic job). Returns how many still work."""
    working = 0
    accounts = ConnectedAccount.objects.filter(status=Status.ACTIVE).select_related("structure", "connected_by")
    for account in accounts.iterator(chunk_size=200):
        try:
            working += account_check(account=account)
        except Exception:  # one connector failing must not stop the others
            logger.exception("Checking account %s failed", account.code)
    return working
