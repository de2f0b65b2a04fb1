"""Opaque public identifiers.

Sequential primary keys never leave the database: they would disclose how many
members or cooperatives exist and let anyone walk through them. Every object
reachable by URL carries a random ``code`` instead.
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: readable aloud
CODE_LENGTH = 14  # 31**14 ≈ 2**69


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def looks_like_code(value: str) -> bool:
    return len(value) == CODE_LENGTH and all(c in ALPHABET for c in value)
