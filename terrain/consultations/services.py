"""Every write of the consultations goes through these functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from terrain.consultations import answering
from terrain.consultations.models import (
    Answer,
    Consultation,
    Invitation,
    Option,
    Question,
    Respondent,
    Response,
)
from terrain.consultations.selectors import has_answers, is_accepting, questions_of, results_summary_html
from terrain.consultations.tasks import invitations_send_task
from terrain.consultations.workflow import State, can_go
from terrain.news.services import post_create

MAX_OPTIONS = 30
MAX_QUESTIONS = 100
MAX_INVITATIONS = 2000


def _locked_message() -> str:
    return _(
        "People have already answered: a question can no longer be removed, change its kind, "
        "lose options or its scale. You can still correct its wording, add options and add questions."
    )


def _clean_dates(opens_at, closes_at) -> None:
    if opens_at and closes_at and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The closing date must come after the opening date.")})


@transaction.atomic
def consultation_create(
    *,
    structure,
    by,
    title: str,
    introduction: str = "",
    mode: str = Consultation.Mode.ANONYMOUS,
    invited_only: bool = False,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Consultation:
    """A new consultation, in draft: nobody sees it until it is opened."""
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the consultation a title.")})
    _clean_dates(opens_at, closes_at)
    return Consultation.objects.create(
        structure=structure,
        created_by=by,
        title=title,
        introduction=(introduction or "").strip(),
        mode=mode,
        invited_only=invited_only,
        opens_at=opens_at,
        closes_at=closes_at,
    )


@transaction.atomic
def consultation_update(*, consultation: Consultation, by, **values) -> Consultation:
    """Change the title, introduction, mode or dates. Once answered, the mode stays what respondents were told."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if "title" in values and not (values["title"] or "").strip():
        raise ValidationError({"title": _("Give the consultation a title.")})
    if "mode" in values and values["mode"] != consultation.mode and has_answers(consultation):
        raise ValidationError(
            {"mode": _("People have already answered under the promise made to them: the mode can no longer change.")}
        )
    _clean_dates(values.get("opens_at", consultation.opens_at), values.get("closes_at", consultation.closes_at))
    for key in ("title", "introduction", "mode", "invited_only", "opens_at", "closes_at"):
        if key in values:
            value = values[key]
            setattr(consultation, key, value.strip() if isinstance(value, str) else value)
    consultation.save()
    return consultation


@transaction.atomic
def consultation_transition(*, consultation: Consultation, to: str, by) -> Consultation:
    """Open, close or reopen: the one place a consultation changes state (``workflow.TRANSITIONS``)."""
    given = consultation
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not can_go(consultation.state, to):
        raise ValidationError(
            _("This consultation cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": State(consultation.state).label,
                "to": State(to).label,
            }
        )
    if to == State.OPEN:
        site = getattr(consultation.structure, "site", None)
        if site is None or not site.published:
            raise ValidationError(_("Publish the structure's public site first: the consultation's link lives on it."))
        if not consultation.questions.exists():
            raise ValidationError(_("Add at least one question before opening the consultation."))
        now = timezone.now()
        if consultation.closes_at and consultation.closes_at <= now:
            raise ValidationError(
                {"closes_at": _("The closing date is past: move it before opening the consultation again.")}
            )
        consultation.opened_at = consultation.opened_at or now
    consultation.state = to
    consultation.save(update_fields=["state", "opened_at", "updated_at"])
    given.state, given.opened_at = consultation.state, consultation.opened_at
    return consultation


# Questions ---------------------------------------------------------------------------------


def _condition_allowed(consultation: Consultation, position: int, condition: Option | None) -> None:
    if condition is None:
        return
    target = condition.question
    if target.consultation_id != consultation.pk or not target.has_options or target.position >= position:
        raise ValidationError({"condition": _("A condition can only name an option of an earlier choice question.")})


@transaction.atomic
def question_save(
    *,
    consultation: Consultation,
    by,
    question: Question | None = None,
    kind: str,
    text: str,
    help_text: str = "",
    required: bool = False,
    options: Sequence[str] = (),
    max_choices: int | None = None,
    scale_max: int = 5,
    scale_low_label: str = "",
    scale_high_label: str = "",
    condition: Option | None = None,
) -> Question:
    """Add a question, or change one. Once people have answered, nothing they answered may be lost:
    no change of kind, no fewer options, no other scale (``ValidationError`` with a clear message)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    answered = has_answers(consultation)
    errors: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write the question.")
    labels = [label.strip() for label in options if label.strip()]
    if kind in Question.CHOICES:
        if len(labels) < 2:
            errors["options"] = _("Give at least two options, one per line.")
        elif len(labels) > MAX_OPTIONS:
            errors["options"] = _("Give at most %(max)s options.") % {"max": MAX_OPTIONS}
        elif len(set(labels)) != len(labels):
            errors["options"] = _("Two options have the same wording.")
        if kind == Question.Kind.MULTIPLE and max_choices and max_choices > len(labels):
            errors["max_choices"] = _("There are fewer options than that.")
    if question is None and consultation.questions.count() >= MAX_QUESTIONS:
        errors["text"] = _("A consultation holds at most %(max)s questions.") % {"max": MAX_QUESTIONS}
    if question is not None and answered:
        existing = list(question.options.all())
        if kind != question.kind or (kind == Question.Kind.SCALE and scale_max != question.scale_max):
            errors["kind"] = _locked_message()
        elif kind in Question.CHOICES and len(labels) < len(existing):
            errors["options"] = _locked_message()
    if errors:
        raise ValidationError(errors)
    if question is None:
        position = (consultation.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question(consultation=consultation, position=position)
    _condition_allowed(consultation, question.position, condition)
    question.kind = kind
    question.text = text
    question.help_text = (help_text or "").strip()
    question.required = required
    question.max_choices = max_choices if kind == Question.Kind.MULTIPLE else None
    question.scale_max = scale_max if kind == Question.Kind.SCALE else 5
    question.scale_low_label = scale_low_label.strip() if kind == Question.Kind.SCALE else ""
    question.scale_high_label = scale_high_label.strip() if kind == Question.Kind.SCALE else ""
    question.condition = condition
    question.full_clean(exclude=["consultation", "condition"])
    question.save()
    _options_set(question, labels if kind in Question.CHOICES else [])
    return question


def _options_set(question: Question, labels: list[str]) -> None:
    """Options matched by position: the first ones renamed, new ones appended, extra ones removed
    (only possible before anyone answered, checked by the caller)."""
    existing = list(question.options.all())
    for position, label in enumerate(labels):
        if position < len(existing):
            option = existing[position]
            if option.label != label or option.position != position:
                option.label, option.position = label, position
                option.save(update_fields=["label", "position"])
        else:
            Option.objects.create(question=question, position=position, label=label)
    for option in existing[len(labels) :]:
        if option.dependents.exists():
            raise ValidationError(
                {
                    "options": _("A later question depends on the option “%(label)s”: change it first.")
                    % {"label": option.label}
                }
            )
        option.delete()


@transaction.atomic
def question_delete(*, question: Question, by) -> None:
    if has_answers(question.consultation):
        raise ValidationError(_locked_message())
    if Question.objects.filter(condition__question=question).exists():
        raise ValidationError(_("A later question depends on this one: change its condition first."))
    question.delete()


@transaction.atomic
def question_move(*, question: Question, up: bool, by) -> None:
    """Swap a question with the one before (``up``) or after it; a condition must stay on an earlier question."""
    siblings = list(question.consultation.questions.select_for_update().order_by("position", "id"))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return
    first, second = sorted((siblings[index], siblings[other_index]), key=lambda q: q.position)
    if second.condition_id and second.condition.question_id == first.pk:
        raise ValidationError(
            _("“%(text)s” depends on the question before it: it cannot move above it.") % {"text": second.text}
        )
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    for position, item in enumerate(siblings, start=1):
        if item.position != position:
            Question.objects.filter(pk=item.pk).update(position=position)


# Answers -----------------------------------------------------------------------------------


class AnswersRefused(ValidationError):
    """The form comes back: ``reading`` holds the messages and what was typed."""

    def __init__(self, reading: answering.Reading, identity_errors: dict[str, str] | None = None):
        self.reading = reading
        self.identity_errors = identity_errors or {}
        super().__init__(_("Some answers are missing or wrong."))


def _read_identity(consultation: Consultation, data: Mapping, invitation: Invitation | None) -> tuple[dict, dict]:
    if consultation.is_anonymous:
        return {}, {}
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()[:150]
    email = (data.get("email") or "").strip().lower()
    if invitation is not None:
        email = invitation.email
    if not name:
        errors["name"] = _("Give your name: this consultation is not anonymous.")
    if invitation is None:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Give your e-mail address, for example nom@exemple.fr.")
    return {"name": name, "email": email}, errors


@transaction.atomic
def response_submit(*, consultation: Consultation, data: Mapping, invitation: Invitation | None = None) -> Response:
    """Store one person's answers, whole or not at all.

    Anonymous: a :class:`Response` with the day only and the answers, nothing else; the
    invitation, if any, is marked used by a separate update that names no answer.
    Raises :class:`AnswersRefused` (messages and typed values) for missing or wrong answers,
    ``ValidationError`` when the consultation is not open, the invitation already used or
    the address has already answered.
    """
    if not is_accepting(consultation):
        raise ValidationError(_("This consultation is not taking answers."), code="closed")
    questions = questions_of(consultation)
    reading = answering.read(questions, data)
    identity, identity_errors = _read_identity(consultation, data, invitation)
    if not reading.ok or identity_errors:
        raise AnswersRefused(reading, identity_errors)
    if invitation is not None:
        marked = Invitation.objects.filter(pk=invitation.pk, consultation=consultation, used=False).update(used=True)
        if marked != 1:
            raise ValidationError(_("This invitation has already been used."), code="used")
        # PostgreSQL stamps every row with the transaction that last wrote it (xmin): rewrite
        # all the consultation's invitations here, so the answer shares its stamp with every
        # one of them (and the next answer's stamp replaces it), never with the one used.
        Invitation.objects.filter(consultation=consultation).update(used=F("used"))
    response = Response.objects.create(consultation=consultation, day=timezone.localdate())
    rows = []
    for question in questions:
        value = reading.answers.get(question.pk)
        if value is None:
            continue
        if isinstance(value, Option):
            rows.append(Answer(response=response, question=question, option=value))
        elif isinstance(value, list):
            rows.extend(Answer(response=response, question=question, option=option) for option in value)
        elif isinstance(value, int):
            rows.append(Answer(response=response, question=question, value=value))
        else:
            rows.append(Answer(response=response, question=question, text=value))
    Answer.objects.bulk_create(rows)
    if not consultation.is_anonymous:
        try:
            with transaction.atomic():
                Respondent.objects.create(
                    response=response, consultation=consultation, submitted_at=timezone.now(), **identity
                )
        except IntegrityError as error:
            raise ValidationError(
                _("An answer has already been given with this e-mail address."), code="twice"
            ) from error
    return response


def submission_refused(*, consultation: Consultation) -> None:
    """Count a submission turned away (too many from one client, a robot): nothing of it is kept."""
    Consultation.objects.filter(pk=consultation.pk).update(refused=F("refused") + 1)


# Invitations -------------------------------------------------------------------------------


def parse_addresses(text: str) -> tuple[list[str], list[str]]:
    """The valid addresses of a pasted list (commas, semicolons, spaces or lines), and the wrong ones."""
    good, bad = [], []
    for word in text.replace(",", " ").replace(";", " ").split():
        word = word.strip().strip("<>").lower()
        try:
            validate_email(word)
        except ValidationError:
            bad.append(word)
        else:
            if word not in good:
                good.append(word)
    return good, bad


@transaction.atomic
def invitations_create(*, consultation: Consultation, emails: Sequence[str], by) -> int:
    """Invite addresses (each once): the e-mails go out from the task worker after the commit."""
    if len(emails) > MAX_INVITATIONS:
        raise ValidationError(_("Invite at most %(max)s addresses at a time.") % {"max": MAX_INVITATIONS})
    known = set(Invitation.objects.filter(consultation=consultation, email__in=emails).values_list("email", flat=True))
    new = [Invitation(consultation=consultation, email=email) for email in emails if email not in known]
    Invitation.objects.bulk_create(new)
    if new:
        transaction.on_commit(lambda: invitations_send_task.enqueue(consultation.pk))
    return len(new)


# Sharing -----------------------------------------------------------------------------------


def results_share(*, consultation: Consultation, cooperative, by):
    """Post a summary of the results in a cooperative (the caller checked ``by`` may post there)."""
    return post_create(cooperative=cooperative, author=by, body_html=results_summary_html(consultation))
