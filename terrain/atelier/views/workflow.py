"""The message page and its workflow: read it, submit, approve, ask for changes, comment, schedule, delete.

Each action is a POST that goes back to the message page; a refusal the person
can act on is shown there (a flash message, or the form again with its error).
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from terrain.atelier.access import get_message_for
from terrain.atelier.forms import ChangesForm, CommentForm, ScheduleForm
from terrain.atelier.message_selectors import (
    message_for_page,
    message_problems,
    message_url,
    publication_summary,
    sent_text,
)
from terrain.atelier.models import Message
from terrain.atelier.services import messages as services
from terrain.atelier.services.publishing import message_retry_failed
from terrain.atelier.views.compose import PLAN_ACTIONS, plan_publication, preview_html
from terrain.atelier.workflows import RETRIABLE, UNSCHEDULABLE
from terrain.insights.selectors import message_stats
from terrain.lib.http import error_text
from terrain.networks import counting, registry
from terrain.relays.selectors import relay_counts


@login_required
@require_GET
def message_detail(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_message_for(request, code, need="write")
    return _render_detail(request, access, message)


@login_required
@require_GET
def message_in_structure(request: HttpRequest, code: str, message_code: str) -> HttpResponse:
    message, _access = get_message_for(request, message_code, need="write")
    if message.structure.code != code:
        raise Http404
    return redirect(message_url(message))


def _render_detail(request, access, message, *, comment_form=None, changes_form=None, schedule_form=None, status=200):
    message = message_for_page(message=message)
    variants = {v.network: v.body for v in message.variants.all()}
    networks = sorted({a.network for a in message.accounts.all()}, key=registry.display_order)
    texts = []
    for network in networks:
        with_media = bool(message.images.all())
        sent = sent_text(network, variants.get(network) or message.body, message.link, with_media=with_media)
        maximum = counting.limit(network, with_media=with_media)
        texts.append(
            {
                "network": network,
                "label": registry.label(network),
                "html": preview_html(sent),
                "count": counting.count(network, sent),
                "maximum": maximum,
                "is_variant": network in variants,
            }
        )
    if message.status == Message.Status.PUBLISHED:
        # The latest figures of each publication, shown beside it.
        figures = {row.publication.pk: row for row in message_stats(message=message)}
        for publication in message.publications.all():
            publication.figures = figures.get(publication.pk)
    can_plan = access.can_approve and message.status in (services.APPROVABLE | services.APPROVED_WORDS)
    outcome = publication_summary(message)
    return render(
        request,
        "atelier/compose/detail.html",
        {
            "structure": message.structure,
            "access": access,
            "message": message,
            "texts": texts,
            "problems": message_problems(message) if message.status in services.EDITABLE else [],
            "can_edit": message.status in services.EDITABLE,
            "can_submit": message.status in services.SUBMITTABLE,
            "can_approve": access.can_approve and message.status in services.APPROVABLE,
            "can_request_changes": access.can_approve and message.status in services.CHANGES_REQUESTABLE,
            "can_plan": can_plan,
            "can_unschedule": access.can_approve and message.status in UNSCHEDULABLE,
            "outcome": outcome,
            "can_retry": access.can_approve and message.status in RETRIABLE and bool(outcome.failed),
            "can_delete": services.can_delete(message=message, user=request.user, access=access),
            "comment_form": comment_form or CommentForm(),
            "changes_form": changes_form or ChangesForm(),
            "schedule_form": schedule_form
            or ScheduleForm(
                initial=ScheduleForm.initial_for(message) if message.status == Message.Status.SCHEDULED else {}
            ),
            "relays": _relays(message),
            "nav": "atelier",
        },
        status=status,
    )


def _relays(message: Message) -> list[tuple[str, int]]:
    """How many militants relayed a published message, per network they shared it to."""
    if message.status != Message.Status.PUBLISHED:
        return []
    return [(registry.share_label(network), count) for network, count in relay_counts(message).items()]


def _workflow(request, code: str, *, need: str, action) -> HttpResponse:
    """Run ``action(message, access)`` and go back to the message page; a refusal is shown there."""
    message, access = get_message_for(request, code, need=need)
    try:
        text = action(message, access)
    except ValidationError as error:
        flash.error(request, error_text(error))
    else:
        flash.success(request, text)
    return redirect(message_url(message))


@login_required
@require_POST
def message_submit(request: HttpRequest, code: str) -> HttpResponse:
    def action(message, access):
        services.message_submit(message=message, by=request.user)
        return _("Your message is sent for approval.")

    return _workflow(request, code, need="write", action=action)


@login_required
@require_POST
def message_approve(request: HttpRequest, code: str) -> HttpResponse:
    def action(message, access):
        services.message_approve(message=message, by=request.user)
        return _("The message is approved.")

    return _workflow(request, code, need="approve", action=action)


@login_required
@require_POST
def message_unschedule(request: HttpRequest, code: str) -> HttpResponse:
    from terrain.atelier.services.publishing import message_unschedule as unschedule

    def action(message, access):
        unschedule(message=message, by=request.user)
        return _("The message is taken off the calendar. It stays approved.")

    return _workflow(request, code, need="approve", action=action)


@login_required
@require_POST
def message_retry(request: HttpRequest, code: str) -> HttpResponse:
    """Send again what failed of a message (never what went out)."""

    def action(message, access):
        retried = message_retry_failed(message=message, by=request.user)
        accounts = ", ".join(p.account.get_network_display() for p in retried)
        return _("Trying again on %(accounts)s.") % {"accounts": accounts}

    return _workflow(request, code, need="approve", action=action)


@login_required
@require_POST
def message_request_changes(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_message_for(request, code, need="approve")
    form = ChangesForm(request.POST)
    if form.is_valid():
        try:
            services.message_request_changes(message=message, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            flash.success(request, _("Your request is sent to the author."))
            return redirect(message_url(message))
    return _render_detail(request, access, message, changes_form=form, status=400)


@login_required
@require_POST
def message_comment(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_message_for(request, code, need="write")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.message_comment(message=message, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            return redirect(message_url(message) + "#conversation")
    return _render_detail(request, access, message, comment_form=form, status=400)


@login_required
@require_POST
def message_schedule(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_message_for(request, code, need="approve")
    action = request.POST.get("action", "schedule")
    if action not in PLAN_ACTIONS:
        action = "schedule"
    try:
        return plan_publication(request, access, message, action)
    except ValidationError as error:
        flash.error(request, error_text(error))
        schedule_form = ScheduleForm(request.POST)
        schedule_form.is_valid()
        return _render_detail(request, access, message, schedule_form=schedule_form, status=400)


@login_required
@require_POST
def message_delete(request: HttpRequest, code: str) -> HttpResponse:
    message, _access = get_message_for(request, code, need="write")
    try:
        services.message_delete(message=message, by=request.user)
    except ValidationError as error:
        flash.error(request, error_text(error))
        return redirect(message_url(message))
    flash.success(request, _("The message is deleted."))
    return redirect(reverse("atelier:message_list", args=[message.structure.code]))
