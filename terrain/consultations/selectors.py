"""Reads of the consultations: lists, results, the CSV export and the summary shared to a cooperative."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from terrain.consultations.models import Answer, Consultation, Invitation, Question, Respondent, Response
from terrain.consultations.workflow import State
from terrain.lib.sql import Statement, in_ids

TEXTS_SHOWN = 500


def has_answers(consultation: Consultation) -> bool:
    return Response.objects.filter(consultation=consultation).exists()


def is_accepting(consultation: Consultation, now: datetime | None = None) -> bool:
    """Whether answers are taken now: open, and within its dates."""
    now = now or timezone.now()
    return (
        consultation.state == State.OPEN
        and (consultation.opens_at is None or consultation.opens_at <= now)
        and (consultation.closes_at is None or now < consultation.closes_at)
    )


def questions_of(consultation: Consultation) -> list[Question]:
    return list(
        consultation.questions.select_related("condition", "condition__question")
        .prefetch_related("options")
        .order_by("position", "id")
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for(consultation: Consultation, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return Invitation.objects.filter(consultation=consultation, token_hash=token_hash(token)).first()


def consultations_of(structure) -> QuerySet[Consultation]:
    """The structure's consultations for its officials, with their number of responses."""
    return Consultation.objects.filter(structure=structure).annotate(response_count=Count("responses"))


def open_consultations(site) -> QuerySet[Consultation]:
    """The consultations the site lists (menu, home, sitemap, feed): taking answers now (open, within
    their dates) on their public link. One for invited people only is not advertised."""
    now = timezone.now()
    return (
        Consultation.objects.filter(structure_id=site.structure_id, state=State.OPEN, invited_only=False)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))
        .filter(Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .order_by("closes_at", "-opened_at", "-id")
    )


def public_consultation(site, code: str) -> Consultation | None:
    """A consultation shown on the site: open or closed (a closed one says so), never a draft."""
    return (
        Consultation.objects.select_related("structure")
        .filter(structure_id=site.structure_id, code=code, state__in=[State.OPEN, State.CLOSED])
        .first()
    )


@dataclass
class Row:
    label: str
    count: int
    percent: int


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    average: float | None = None
    texts: list[str] = field(default_factory=list)
    more_texts: int = 0


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def results(consultation: Consultation) -> tuple[int, list[QuestionResult]]:
    """The total of responses and, per question, its figures: four queries whatever the size."""
    total = Response.objects.filter(consultation=consultation).count()
    questions = questions_of(consultation)
    answers = Answer.objects.filter(question__consultation=consultation)
    answered = dict(
        answers.values("question_id").annotate(n=Count("response_id", distinct=True)).values_list("question_id", "n")
    )
    counts: dict[int, Counter] = defaultdict(Counter)
    for question_id, option_id, value, n in (
        answers.filter(text="")
        .values("question_id", "option_id", "value")
        .annotate(n=Count("id"))
        .values_list("question_id", "option_id", "value", "n")
    ):
        counts[question_id][option_id if option_id is not None else value] += n
    texts: dict[int, list[str]] = defaultdict(list)
    # By the random key: the order says nothing of when each answer came.
    for question_id, text in answers.exclude(text="").order_by("question_id", "id").values_list("question_id", "text"):
        texts[question_id].append(text)
    out = []
    for question in questions:
        result = QuestionResult(question=question, answered=answered.get(question.pk, 0))
        counted = counts[question.pk]
        if question.has_options:
            result.rows = [
                Row(o.label, counted[o.pk], _percent(counted[o.pk], result.answered)) for o in question.options.all()
            ]
        elif question.kind == Question.Kind.SCALE:
            result.rows = [
                Row(str(v), counted[v], _percent(counted[v], result.answered)) for v in question.scale_values
            ]
            if result.answered:
                result.average = sum(v * counted[v] for v in question.scale_values) / result.answered
        else:
            result.texts = texts[question.pk][:TEXTS_SHOWN]
            result.more_texts = max(0, len(texts[question.pk]) - TEXTS_SHOWN)
        out.append(result)
    return total, out


def export_csv(consultation: Consultation) -> str:
    """One line per response, one column per question (several choices joined by " ; ")."""
    questions = questions_of(consultation)
    named = not consultation.is_anonymous
    header = [_("Day")] + ([_("Name"), _("E-mail")] if named else []) + [q.text for q in questions]
    by_response: dict = defaultdict(lambda: defaultdict(list))
    labels = {o.pk: o.label for q in questions for o in q.options.all()}
    for response_id, question_id, option_id, value, text in Answer.objects.filter(
        question__consultation=consultation
    ).values_list("response_id", "question_id", "option_id", "value", "text"):
        shown = labels.get(option_id) if option_id else (str(value) if value is not None else text)
        by_response[response_id][question_id].append(shown)
    people = {}
    if named:
        people = {r.response_id: r for r in Respondent.objects.filter(consultation=consultation)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for response in Response.objects.filter(consultation=consultation).order_by("day", "id"):
        row = [response.day.isoformat()]
        if named:
            who = people.get(response.id)
            row += [who.name, who.email] if who else ["", ""]
        row += [" ; ".join(by_response[response.id].get(q.pk, [])) for q in questions]
        writer.writerow([_safe_cell(cell) for cell in row])
    return out.getvalue()


def _safe_cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: a leading quote keeps it text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def results_summary_html(consultation: Consultation) -> str:
    """The results as a short post: total, and per choice or scale question its figures."""
    total, items = results(consultation)
    parts = [
        "<p><strong>{}</strong></p>".format(
            escape(_("Results of the consultation “%(title)s”") % {"title": consultation.title})
        ),
        "<p>{}</p>".format(escape(ngettext("%(count)s response.", "%(count)s responses.", total) % {"count": total})),
    ]
    for item in items:
        if item.question.kind in Question.TEXTS:
            continue
        parts.append(f"<p><strong>{escape(item.question.text)}</strong></p><ul>")
        if item.average is not None:
            average = formats.number_format(item.average, 1)
            parts.append("<li>{}</li>".format(escape(_("Average: %(average)s") % {"average": average})))
        parts.extend(f"<li>{escape(row.label)} : {row.count} ({row.percent} %)</li>" for row in item.rows)
        parts.append("</ul>")
    return "".join(parts)


def open_public_titles_statement(connection, structure_ids: list[int], now: datetime) -> Statement:
    """``(structure id, title)`` of the consultations of these structures open to all at ``now``,
    closing soonest first: the locator's cards (``registry.LocatorFacts``), in plain SQL."""
    table, quote = Consultation._meta.db_table, connection.ops.quote_name
    where, params = in_ids(connection, "c.structure_id", structure_ids)
    sql = (
        f"SELECT c.structure_id, c.title FROM {quote(table)} c"  # noqa: S608 (names from _meta)
        f" WHERE {where} AND c.state = %s AND c.invited_only = %s"
        " AND (c.opens_at IS NULL OR c.opens_at <= %s) AND (c.closes_at IS NULL OR c.closes_at > %s)"
        " ORDER BY c.closes_at, c.id"
    )
    moment = connection.ops.adapt_datetimefield_value(now)
    return sql, [*params, State.OPEN.value, False, moment, moment]
