"""The public pages of the consultations, under a structure's site: the list, the form, the answers.

Anyone answers, without an account. The form carries no CSRF token (the answer view is
``csrf_exempt``): a forged submission could only add one answer, which anyone with the
link can do anyway. So the form itself is a public page, the same for everyone and
cacheable; the answers are counted per client (``terrain.public.throttle``), a honeypot
field catches robots, and both are turned away politely and counted, never stored.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from terrain.consultations import answering, selectors, services
from terrain.consultations.models import Consultation, Invitation
from terrain.lib.codes import looks_like_code
from terrain.public import throttle
from terrain.public.access import get_public_site
from terrain.public.http import public_page
from terrain.public.views import site_context

#: Answers one client address may send to one consultation's public link in an hour. A
#: script goes far beyond it; a large workplace behind one address may reach it, and is
#: better served by invitations (a single-use link is not counted: it cannot flood).
ANSWERS_PER_CLIENT = 60
ANSWERED_COOKIE = "consultation-answered"


def _consultation(slug: str, code: str):
    site = get_public_site(slug)
    found = selectors.public_consultation(site, code) if looks_like_code(code) else None
    if found is None:
        raise Http404
    return site, found


def _questions_for_form(consultation: Consultation, reading: answering.Reading | None = None) -> list[dict]:
    items = []
    numbers: dict[int, int] = {}
    for number, question in enumerate(selectors.questions_of(consultation), start=1):
        numbers[question.pk] = number
        typed = reading.typed.get(question.code) if reading else None
        items.append(
            {
                "number": number,
                "question": question,
                "name": answering.field_name(question),
                "typed": typed if typed is not None else ([] if question.has_options else ""),
                "error": reading.errors.get(question.code, "") if reading else "",
                "condition": question.condition,
                "condition_number": numbers.get(question.condition.question_id) if question.condition_id else None,
                "condition_field": f"q-{question.condition.question.code}" if question.condition_id else "",
            }
        )
    return items


def _form(
    request, site, consultation, *, reading=None, identity=None, identity_errors=None, token="", notice="", status=200
) -> HttpResponse:
    action = (
        reverse("consultations_public:invited", args=[site.slug, consultation.code, token])
        if token
        else reverse("consultations_public:answer", args=[site.slug, consultation.code])
    )
    return render(
        request,
        "consultations/public/answer.html",
        {
            **site_context(site, "consultations"),
            "consultation": consultation,
            "items": _questions_for_form(consultation, reading),
            "action": action,
            "identity": identity or {},
            "identity_errors": identity_errors or {},
            "error_count": len(reading.errors) + len(identity_errors or {}) if reading else 0,
            "notice": notice,
            "invited": bool(token),
        },
        status=status,
    )


def _closed(request, site, consultation, *, status=200) -> HttpResponse:
    return render(
        request,
        "consultations/public/closed.html",
        {**site_context(site, "consultations"), "consultation": consultation},
        status=status,
    )


def _message(request, site, consultation, *, title: str, text: str, status: int) -> HttpResponse:
    response = render(
        request,
        "consultations/public/message.html",
        {**site_context(site, "consultations"), "consultation": consultation, "title": title, "text": text},
        status=status,
    )
    add_never_cache_headers(response)
    return response


@require_safe
@public_page
def index(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    return render(
        request,
        "consultations/public/index.html",
        {**site_context(site, "consultations"), "consultations": selectors.open_consultations(site)},
    )


@public_page
def _show(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site, consultation = _consultation(slug, code)
    if not selectors.is_accepting(consultation):
        return _closed(request, site, consultation)
    if consultation.invited_only:
        return _message(
            request,
            site,
            consultation,
            title=consultation.title,
            text=_("Only the people invited by e-mail answer this consultation, each with their own link."),
            status=200,
        )
    return _form(request, site, consultation)


@csrf_exempt  # anonymous answers: no session to protect (see the module's docstring)
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The form (GET, a public page), and the answers (POST)."""
    if request.method == "GET":
        return _show(request, slug=slug, code=code)  # by name: the cache checks the site first
    site, consultation = _consultation(slug, code)
    if consultation.invited_only:
        raise Http404
    return _receive(request, site, consultation, invitation=None)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def invited(request: HttpRequest, slug: str, code: str, token: str) -> HttpResponse:
    """The single-use link of an invitation: the same form, answered once."""
    site, consultation = _consultation(slug, code)
    invitation = selectors.invitation_for(consultation, token)
    if invitation is None:
        raise Http404
    if not selectors.is_accepting(consultation):
        response = _closed(request, site, consultation)
    elif invitation.used:
        response = _message(
            request,
            site,
            consultation,
            title=_("Already answered"),
            text=_("This invitation has already been used: thank you for your answers."),
            status=409,
        )
    elif request.method == "POST":
        response = _receive(request, site, consultation, invitation=invitation, token=token)
    else:
        response = _form(request, site, consultation, token=token)
    add_never_cache_headers(response)  # the link is personal: never in a shared cache
    return response


def _receive(request, site, consultation, *, invitation: Invitation | None, token: str = "") -> HttpResponse:
    if not selectors.is_accepting(consultation):
        response = _closed(request, site, consultation, status=403)
        add_never_cache_headers(response)
        return response
    if request.POST.get("website"):  # the honeypot: a robot filled the field people do not see
        services.submission_refused(consultation=consultation)
        return _thanks(request, site, consultation, set_cookie=False)
    identity = {"name": request.POST.get("name", "")[:150], "email": request.POST.get("email", "")[:254]}
    if invitation is None and not throttle.allow(
        request, scope=f"consultation:{consultation.code}", limit=ANSWERS_PER_CLIENT, seconds=3600
    ):
        services.submission_refused(consultation=consultation)
        reading = answering.read(selectors.questions_of(consultation), request.POST)
        reading.errors.clear()
        response = _form(
            request,
            site,
            consultation,
            reading=reading,
            identity=identity,
            token=token,
            status=429,
            notice=_(
                "Many answers came from your connection in the last hour: your answers were not saved yet. "
                "Keep this page and send it again in a few minutes."
            ),
        )
        response["Retry-After"] = "600"
        add_never_cache_headers(response)
        return response
    if invitation is None and request.COOKIES.get(ANSWERED_COOKIE) == consultation.code:
        return _message(
            request,
            site,
            consultation,
            title=_("Already answered"),
            text=_("Answers to this consultation were already sent from this browser. Thank you!"),
            status=409,
        )
    try:
        services.response_submit(consultation=consultation, data=request.POST, invitation=invitation)
    except services.AnswersRefused as refused:
        response = _form(
            request,
            site,
            consultation,
            reading=refused.reading,
            identity=identity,
            identity_errors=refused.identity_errors,
            token=token,
            status=400,
        )
        add_never_cache_headers(response)
        return response
    except ValidationError as error:
        if error.code == "closed":
            response = _closed(request, site, consultation, status=403)
            add_never_cache_headers(response)
            return response
        return _message(
            request, site, consultation, title=_("Already answered"), text=" ".join(error.messages), status=409
        )
    return _thanks(request, site, consultation, set_cookie=invitation is None)


def _thanks(request, site, consultation, *, set_cookie: bool) -> HttpResponse:
    response = render(
        request,
        "consultations/public/thanks.html",
        {**site_context(site, "consultations"), "consultation": consultation},
    )
    add_never_cache_headers(response)
    if set_cookie:
        # Only "this browser answered this consultation": no identifier, nothing to link to the answers.
        response.set_cookie(
            ANSWERED_COOKIE,
            consultation.code,
            max_age=3600 * 24 * 365,
            path=reverse("consultations_public:answer", args=[site.slug, consultation.code]),
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response
