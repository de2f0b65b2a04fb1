"""The officials' pages: write a consultation, open and close it, invite, read the results.

Every view takes the consultation through :func:`terrain.consultations.access.get_consultation_for`
(or the structure through ``get_structure_for``): officials of the structure and of those above.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.consultations import selectors, services
from terrain.consultations.access import get_consultation_for, question_of
from terrain.consultations.forms import ConsultationForm, InviteForm, QuestionForm, ShareForm
from terrain.consultations.models import Consultation, Option, Question
from terrain.consultations.workflow import TRANSITIONS, State
from terrain.cooperatives.access import get_cooperative_for
from terrain.cooperatives.selectors import cooperatives_to_post_in
from terrain.lib.http import error_text, personal_data
from terrain.structures.access import get_structure_for
from terrain.structures.views import header_context


def _page(request, access, template: str, context: dict, status: int = 200) -> HttpResponse:
    header = access.structure_access if hasattr(access, "structure_access") else access
    return render(
        request,
        template,
        {
            **header_context(request, header, "site"),
            **context,
        },
        status=status,
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """A structure's consultations, and the form to start one."""
    access = get_structure_for(request, code, need="manage")
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                structure=access.structure, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consultation is created, in draft. Add its questions."))
            return redirect("consultations:edit", consultation.code)
    site = getattr(access.structure, "site", None)
    return _page(
        request,
        access,
        "consultations/manage.html",
        {"consultations": selectors.consultations_of(access.structure), "form": form, "site": site},
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """A consultation: its settings, its questions, its state and its link."""
    access = get_consultation_for(request, code, need="manage")
    consultation = access.consultation
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(consultation=consultation, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("consultations:edit", consultation.code)
    if request.method == "POST":
        consultation.refresh_from_db()
    site = getattr(consultation.structure, "site", None)
    return _page(
        request,
        access,
        "consultations/edit.html",
        {
            "consultation": consultation,
            "form": form,
            "questions": selectors.questions_of(consultation),
            "answered": selectors.has_answers(consultation),
            "accepting": selectors.is_accepting(consultation),
            "targets": [State(target) for target in sorted(TRANSITIONS[consultation.state])],
            "site": site,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def transition(request: HttpRequest, code: str) -> HttpResponse:
    access = get_consultation_for(request, code, need="manage")
    target = request.POST.get("to", "")
    if target not in State.values:
        raise Http404
    try:
        services.consultation_transition(consultation=access.consultation, to=target, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            {
                State.OPEN: _("The consultation is open: share its link."),
                State.CLOSED: _("The consultation is closed: it takes no more answers."),
            }.get(target, _("Saved.")),
        )
    return redirect("consultations:edit", access.consultation.code)


def _condition_choices(consultation: Consultation, before: int | None) -> list[tuple[str, str]]:
    choices = []
    for question in selectors.questions_of(consultation):
        if not question.has_options or (before is not None and question.position >= before):
            continue
        for option in question.options.all():
            choices.append((option.code, f"{question.text} → {option.label}"))
    return choices


def _question_form(request, access, question: Question | None) -> HttpResponse:
    consultation = access.consultation
    choices = _condition_choices(consultation, question.position if question else None)
    initial = QuestionForm.initial_for(question) if question else {"scale_max": 5}
    form = QuestionForm(request.POST or None, initial=initial, condition_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        condition = None
        if data["condition"]:
            condition = (
                Option.objects.filter(code=data["condition"], question__consultation=consultation)
                .select_related("question")
                .first()
            )
        try:
            services.question_save(
                consultation=consultation,
                by=request.user,
                question=question,
                kind=data["kind"],
                text=data["text"],
                help_text=data["help_text"],
                required=data["required"],
                options=data["options"].splitlines(),
                max_choices=data["max_choices"],
                scale_max=data["scale_max"],
                scale_low_label=data["scale_low_label"],
                scale_high_label=data["scale_high_label"],
                condition=condition,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("consultations:edit", consultation.code)
    return _page(
        request,
        access,
        "consultations/question_form.html",
        {
            "consultation": consultation,
            "question": question,
            "form": form,
            "answered": selectors.has_answers(consultation),
        },
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, code: str) -> HttpResponse:
    return _question_form(request, get_consultation_for(request, code, need="manage"), None)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, code: str, question: str) -> HttpResponse:
    access = get_consultation_for(request, code, need="manage")
    found = question_of(access, question)
    return _question_form(request, access, found)


@login_required
@require_POST
def question_delete(request: HttpRequest, code: str, question: str) -> HttpResponse:
    access = get_consultation_for(request, code, need="manage")
    found = question_of(access, question)
    try:
        services.question_delete(question=found, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The question is removed."))
    return redirect("consultations:edit", access.consultation.code)


@login_required
@require_POST
def question_move(request: HttpRequest, code: str, question: str) -> HttpResponse:
    access = get_consultation_for(request, code, need="manage")
    found = question_of(access, question)
    try:
        services.question_move(question=found, up=request.POST.get("direction") == "up", by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("consultations:edit", access.consultation.code)


@personal_data
@login_required
@require_GET
def results(request: HttpRequest, code: str) -> HttpResponse:
    """Live results: figures per option, scale averages, the texts, the total."""
    access = get_consultation_for(request, code, need="manage")
    total, items = selectors.results(access.consultation)
    cooperatives = cooperatives_to_post_in(user=request.user)
    return _page(
        request,
        access,
        "consultations/results.html",
        {
            "consultation": access.consultation,
            "total": total,
            "items": items,
            "share_form": ShareForm(cooperatives=cooperatives) if cooperatives else None,
        },
    )


@personal_data
@login_required
@require_GET
def export(request: HttpRequest, code: str) -> HttpResponse:
    access = get_consultation_for(request, code, need="manage")
    response = HttpResponse(selectors.export_csv(access.consultation), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{access.consultation.code}.csv"'
    return response


@login_required
@require_POST
def share(request: HttpRequest, code: str) -> HttpResponse:
    """Post the results' summary in a cooperative where the official may post."""
    access = get_consultation_for(request, code, need="manage")
    cooperatives = cooperatives_to_post_in(user=request.user)
    form = ShareForm(request.POST, cooperatives=cooperatives)
    if not form.is_valid():
        messages.error(request, _("Choose a cooperative where you may post."))
        return redirect("consultations:results", access.consultation.code)
    cooperative = get_cooperative_for(request, form.cleaned_data["cooperative"], need="post").cooperative
    services.results_share(consultation=access.consultation, cooperative=cooperative, by=request.user)
    messages.success(request, _("The results are posted in “%(name)s”.") % {"name": cooperative.name})
    return redirect("consultations:results", access.consultation.code)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """Paste addresses: each gets a single-use link by e-mail (erased once sent, if anonymous)."""
    access = get_consultation_for(request, code, need="manage")
    consultation = access.consultation
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        good, bad = services.parse_addresses(form.cleaned_data["addresses"])
        site = getattr(consultation.structure, "site", None)
        if bad:
            form.add_error("addresses", _("These are not e-mail addresses: %(list)s") % {"list": ", ".join(bad[:10])})
        elif not good:
            form.add_error("addresses", _("Paste at least one e-mail address."))
        elif site is None or not site.published:
            form.add_error(None, _("Publish the structure's public site first: the consultation's link lives on it."))
        else:
            try:
                count = services.invitations_create(consultation=consultation, emails=good, by=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("%(count)s invitations are on their way.") % {"count": count})
                return redirect("consultations:invite", consultation.code)
    invitations = consultation.invitations
    return _page(
        request,
        access,
        "consultations/invite.html",
        {
            "consultation": consultation,
            "form": form,
            "invited": invitations.count(),
            "used": invitations.filter(used=True).count(),
        },
        status=400 if request.method == "POST" else 200,
    )
