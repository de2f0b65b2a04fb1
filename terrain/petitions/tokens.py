"""Signed links of the e-mails sent to signers: confirm a signature, withdraw it.

Signed, not encrypted: anyone can read what is inside, so only the signature's code,
never the address.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

from terrain.petitions.models import Signature

CONFIRM_SALT = "terrain.petitions.confirm"
WITHDRAW_SALT = "terrain.petitions.withdraw"
# An unconfirmed signature is purged after this delay: its link dies with it.
CONFIRM_MAX_AGE = timedelta(days=7)


def confirm_token(signature: Signature) -> str:
    return signing.dumps(signature.code, salt=CONFIRM_SALT)


def withdraw_token(signature: Signature) -> str:
    return signing.dumps(signature.code, salt=WITHDRAW_SALT)


def _signature(token: str, *, salt: str, max_age: timedelta | None, petition) -> Signature | None:
    try:
        code = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(code, str):
        return None
    return Signature.objects.select_related("petition").filter(code=code, petition=petition).first()


def signature_from_confirm_token(token: str, *, petition) -> Signature | None:
    """The signature a confirmation link names, if it is of ``petition`` and not too old."""
    return _signature(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE, petition=petition)


def signature_from_withdraw_token(token: str, *, petition) -> Signature | None:
    """The signature a withdrawal link names (it never expires while the signature exists)."""
    return _signature(token, salt=WITHDRAW_SALT, max_age=None, petition=petition)
