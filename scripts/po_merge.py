#!/usr/bin/env python3
"""A git merge driver for gettext catalogues (CONTRIBUTING, "Translations").

    git config merge.po.driver ".venv/bin/python scripts/po_merge.py %O %A %B"

Keeps the entries of both sides; where both have an entry, a translation changed on
one side only wins (a plain union, such as ``msgcat --use-first``, keeps our side and
loses the other side's corrections). Writes the result over ``%A``. Run
``make messages`` after the merge to drop what no code uses any more.
"""

from __future__ import annotations

import sys

import polib


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _value(entry: polib.POEntry) -> tuple:
    return (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())), "fuzzy" in entry.flags)


def _untranslated(entry: polib.POEntry) -> bool:
    return not entry.msgstr and not any(entry.msgstr_plural.values())


def merge(base_path: str, ours_path: str, theirs_path: str) -> None:
    base = {_key(entry): entry for entry in polib.pofile(base_path)}
    ours = polib.pofile(ours_path)
    index = {_key(entry): entry for entry in ours}
    for theirs in polib.pofile(theirs_path):
        key = _key(theirs)
        mine = index.get(key)
        if mine is None:
            ours.append(theirs)
            index[key] = theirs
            continue
        if _value(theirs) == _value(mine):
            continue
        before = base.get(key)
        only_theirs_changed = _untranslated(mine) if before is None else _value(mine) == _value(before)
        if only_theirs_changed:
            mine.msgstr, mine.msgstr_plural, mine.flags = theirs.msgstr, theirs.msgstr_plural, theirs.flags
    ours.save(ours_path)


if __name__ == "__main__":
    merge(*sys.argv[1:4])
