"""Reading a submitted questionnaire: which questions apply, what was answered, what is missing.

Pure: takes the questions (with their options) and the posted data, returns the answers,
the French messages per question and what was typed (to give the form back as it was).
A conditional question counts only when its condition holds; its answer is dropped
otherwise, whatever the browser sent (JavaScript or not).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from terrain.consultations.models import Option, Question

SHORT_MAX = 300
LONG_MAX = 5000


def field_name(question: Question) -> str:
    return f"q-{question.code}"


@dataclass
class Reading:
    answers: dict[int, object] = field(default_factory=dict)  # question id -> Option | [Option] | int | str
    errors: dict[str, str] = field(default_factory=dict)  # question code -> message
    typed: dict[str, object] = field(default_factory=dict)  # question code -> str | [str]
    shown: set[int] = field(default_factory=set)  # ids of the questions that apply

    @property
    def ok(self) -> bool:
        return not self.errors


def _values(data: Mapping, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist:
        values = getlist(name)
    else:  # a plain dict (services called from code): a list for several choices
        value = data.get(name, [])
        values = list(value) if isinstance(value, list | tuple) else [value]
    return [str(v).strip() for v in values if str(v).strip()]


def _chosen(reading: Reading, question_id: int) -> list[Option]:
    value = reading.answers.get(question_id)
    if isinstance(value, Option):
        return [value]
    return list(value) if isinstance(value, list) else []


def applies(question: Question, reading: Reading) -> bool:
    """Whether ``question`` is asked, given the answers read so far (earlier questions only)."""
    if question.condition_id is None:
        return True
    option = question.condition
    return option.question_id in reading.shown and any(o.pk == option.pk for o in _chosen(reading, option.question_id))


def read(questions: Sequence[Question], data: Mapping) -> Reading:
    """Read the answers of ``questions`` (in their order, options prefetched) from ``data``."""
    reading = Reading()
    for question in questions:
        name = field_name(question)
        values = _values(data, name)
        if question.has_options:
            reading.typed[question.code] = values
        else:
            reading.typed[question.code] = values[0] if values else ""
        if not applies(question, reading):
            continue
        reading.shown.add(question.pk)
        error, value = _read_one(question, values)
        if error:
            reading.errors[question.code] = error
        elif value not in (None, "", []):
            reading.answers[question.pk] = value
        elif question.required:
            reading.errors[question.code] = _("Answer this question.")
    return reading


def _read_one(question: Question, values: list[str]) -> tuple[str, object]:
    if question.has_options:
        by_code = {option.code: option for option in question.options.all()}
        if any(v not in by_code for v in values):
            return _("Choose among the options offered."), None
        chosen = [by_code[code] for code in dict.fromkeys(values)]
        if question.kind == Question.Kind.SINGLE:
            if len(chosen) > 1:
                return _("Choose only one option."), None
            return "", chosen[0] if chosen else None
        if question.max_choices and len(chosen) > question.max_choices:
            return _("Choose at most %(max)s options.") % {"max": question.max_choices}, None
        return "", chosen
    if question.kind == Question.Kind.SCALE:
        if not values:
            return "", None
        try:
            number = int(values[0])
        except ValueError:
            number = 0
        if not 1 <= number <= question.scale_max:
            return _("Choose a value from 1 to %(max)s.") % {"max": question.scale_max}, None
        return "", number
    text = values[0] if values else ""
    limit = SHORT_MAX if question.kind == Question.Kind.SHORT else LONG_MAX
    if len(text) > limit:
        return _("Keep your answer under %(max)s characters.") % {"max": limit}, None
    return "", text
