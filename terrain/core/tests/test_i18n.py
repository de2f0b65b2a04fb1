"""French first, English complete.

Strings are written in English in the code (the msgid, so English is complete
by construction) and every one of them has a French translation.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
FR_PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete():
    catalogue = polib.pofile(str(FR_PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} strings without French: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy French strings to review: {fuzzy[:20]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is installed by `make test`")
def test_french_catalogue_is_up_to_date(tmp_path):
    """Every translatable string of the code is in the catalogue (run `make messages` otherwise)."""
    work = tmp_path / "copy"
    for name in ("terrain", "templates", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, work / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, work / name)
    subprocess.run(  # noqa: S603
        [
            str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python",
            "manage.py",
            "makemessages",
            "-l",
            "fr",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=work,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin:/usr/local/bin", "DJANGO_SETTINGS_MODULE": "terrain.settings"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(work / "locale/fr/LC_MESSAGES/django.po"))}
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(FR_PO))}
    missing = sorted(m for _c, m in fresh - known)
    assert not missing, f"strings missing from the French catalogue (run `make messages`): {missing[:20]}"


# Text between tags that is not inside a translation tag is a string left untranslated.
_STRIP = [
    re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S),
    re.compile(r"{%\s*block page_class\s*%}.*?{%\s*endblock\s*%}", re.S),
    re.compile(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", re.S),
    re.compile(r"<script.*?</script>", re.S),
    re.compile(r"<style.*?</style>", re.S),
    re.compile(r"{#.*?#}", re.S),
    re.compile(r"{%.*?%}", re.S),
    re.compile(r"{{.*?}}", re.S),
    re.compile(r"<[^>]*>", re.S),
    re.compile(r"&[a-z]+;|&#\d+;"),
]
_ALLOWED_LITERALS = {"Terrain", "Français", "English", "@", "·", "×", "→", "←", "…"}


def test_templates_have_no_untranslated_text():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "/email/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in _STRIP:
            text = pattern.sub(" ", text)
        for chunk in re.split(r"\s{2,}|\n", text):
            chunk = chunk.strip()
            words = re.findall(r"[A-Za-zÀ-ÿ]{3,}", chunk)
            # Attribute debris (a tag split by template logic) is not text.
            if words and '="' not in chunk and not all(w in _ALLOWED_LITERALS for w in chunk.split()):
                offenders.append(f"{path.relative_to(ROOT)}: {chunk[:60]!r}")
    assert not offenders, "text outside {% translate %}:\n" + "\n".join(offenders[:30])
