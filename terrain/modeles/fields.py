"""The fields of a template: ``{{ nom }}`` placeholders, found in its text and checked.

One syntax for every source (a DOCX, an ODT, a template written in the app): a field is a name
between double braces, ``{{ nom_entreprise }}``. Nothing else of Jinja is allowed (no ``{% if %}``,
no filters, no comments): a model written by an animateur in Word or LibreOffice stays a letter
with blanks, and a member's answer is always inserted as plain text, never evaluated. A template
whose text breaks these rules is refused at upload, with the message naming the faulty field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.lib.text import shorten

NAME_MAX = 40
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# A field as written: what is between the braces may hold spaces (Word puts them where it likes).
FIELD_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
MAX_FIELDS = 60

TEXT = "text"
MULTILINE = "multiline"
DATE = "date"
TYPES = {TEXT: gettext_lazy("One line"), MULTILINE: gettext_lazy("Several lines"), DATE: gettext_lazy("Date")}
# Names that usually hold more than one line: guessed at upload, changed by the animateur.
MULTILINE_HINTS = ("adresse", "texte", "message", "motif", "ordre_du_jour", "revendication", "contenu", "detail")


class FieldSyntaxError(Exception):
    """A template's text breaks the field syntax: ``message`` says where, in the reader's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str = ""
    required: bool = True
    type: str = TEXT

    def as_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "help": self.help, "required": self.required, "type": self.type}

    @classmethod
    def from_dict(cls, data: dict) -> Field:
        kind = data.get("type") if data.get("type") in TYPES else TEXT
        return cls(
            name=str(data["name"]),
            label=str(data.get("label") or data["name"]),
            help=str(data.get("help") or ""),
            required=bool(data.get("required", True)),
            type=kind,
        )


def _show(text: str) -> str:
    return shorten(" ".join(text.split()), 60)


def field_names(texts: Iterable[str]) -> list[str]:
    """The names of the fields in ``texts`` (paragraphs), in order of appearance, each once.

    Raises ``FieldSyntaxError`` for a Jinja statement or comment, a field without its closing
    braces (or closing braces without an opening), a filter or an expression instead of a name.
    """
    names: list[str] = []
    for text in texts:
        for opener, closer in (("{%", "%}"), ("{#", "#}")):
            start = text.find(opener)
            if start >= 0:
                end = text.find(closer, start)
                shown = text[start : end + 2] if end >= 0 else text[start : start + 40]
                raise FieldSyntaxError(
                    _(
                        "“%(text)s”: instructions between {%% and %%} or {# and #} are not allowed in a "
                        "template. Write only fields, such as {{ company }}."
                    )
                    % {"text": _show(shown)}
                )
        position = 0
        for match in FIELD_RE.finditer(text):
            _check_between(text[position : match.start()])
            inner = match.group(1)
            if "{{" in inner:
                raise FieldSyntaxError(
                    _("“%(text)s”: a field opened with {{ is not closed with }} before the next one.")
                    % {"text": _show(text[match.start() : match.start() + inner.index("{{")])}
                )
            names_one = _name_of(inner, match.group(0))
            if names_one not in names:
                names.append(names_one)
            position = match.end()
        _check_between(text[position:])
    if len(names) > MAX_FIELDS:
        raise FieldSyntaxError(_("A template may have at most %(max)s fields.") % {"max": MAX_FIELDS})
    return names


def _check_between(text: str) -> None:
    if "{{" in text:
        start = text.index("{{")
        raise FieldSyntaxError(
            _("“%(text)s”: a field opened with {{ is not closed with }} in the same paragraph.")
            % {"text": _show(text[start : start + 40])}
        )
    if "}}" in text:
        end = text.index("}}")
        raise FieldSyntaxError(
            _("“%(text)s”: }} closes a field that was never opened with {{.")
            % {"text": _show(text[max(0, end - 38) : end + 2])}
        )


def _name_of(inner: str, written: str) -> str:
    name = inner.strip()
    if "|" in name:
        raise FieldSyntaxError(
            _("The field “%(field)s” uses a filter (after |): templates take plain fields only, such as {{ company }}.")
            % {"field": _show(written)}
        )
    if not name:
        raise FieldSyntaxError(_("“{{ }}” is an empty field: write a name between the braces, such as {{ company }}."))
    if not NAME_RE.match(name) or len(name) > NAME_MAX:
        raise FieldSyntaxError(
            _(
                "“%(field)s” is not a field name: use letters without accents, digits and _ only "
                "(at most %(max)s characters, no spaces), such as {{ company_name }}."
            )
            % {"field": _show(written), "max": NAME_MAX}
        )
    return name


def guess_field(name: str, known: dict[str, Field] | None = None) -> Field:
    """A new field's first label and type, from its name; a field already labelled keeps its labels."""
    if known and name in known:
        return known[name]
    lowered = name.lower()
    if "date" in lowered:
        kind = DATE
    elif any(hint in lowered for hint in MULTILINE_HINTS):
        kind = MULTILINE
    else:
        kind = TEXT
    label = name.replace("_", " ").strip().capitalize() or name
    return Field(name=name, label=label, type=kind)


def replace_fields(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{{ name }}`` replaced by its value (plain text, inserted as is)."""
    return FIELD_RE.sub(lambda m: values.get(m.group(1).strip(), ""), text)


def replace_across(texts: list[str], values: dict[str, str]) -> list[str]:
    """The pieces ``texts`` of one paragraph (formatting runs, XML text nodes) with every field
    replaced by its value, even a field cut across several pieces: the value takes the place of
    the field's first piece, the others lose the field's characters. Values are inserted as they
    are (never read as fields again)."""
    texts = list(texts)
    full = "".join(texts)
    # From the last field to the first: the offsets of the earlier ones stay right.
    for match in reversed(list(FIELD_RE.finditer(full))):
        value = values.get(match.group(1).strip(), "").replace("\x00", "")
        first = None
        begin = 0
        for index, text in enumerate(texts):
            end = begin + len(text)
            if text and end > match.start() and begin < match.end():
                cut_from, cut_to = max(match.start(), begin) - begin, min(match.end(), end) - begin
                if first is None:
                    first = index
                    texts[index] = text[:cut_from] + "\x00" + text[cut_to:]
                else:
                    texts[index] = text[:cut_from] + text[cut_to:]
            begin = end
        if first is not None:
            texts[first] = texts[first].replace("\x00", value, 1)
    return texts
