"""The officials' pipeline of join requests: list, one request, its follow-up, the figures.

Every page shows personal data (who wants to join a union): ``@personal_data``, and
every view goes through ``access.get_pipeline_for`` / ``access.get_join_request_for``.
"""

from __future__ import annotations

import csv
from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from terrain.adhesions import selectors, services
from terrain.adhesions.access import get_join_request_for, get_pipeline_for, structures_reading
from terrain.adhesions.forms import FilterForm, NoteForm, RemindForm
from terrain.adhesions.models import Status
from terrain.adhesions.workflow import next_statuses
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text, personal_data
from terrain.structures.models import Structure

PAGE_SIZE = 25


@require_GET
@login_required
@personal_data
def home(request: HttpRequest) -> HttpResponse:
    """The structures whose join requests the viewer handles (straight to the only one)."""
    structures = structures_reading(request.user)
    if len(structures) == 1:
        return redirect("adhesions:list", code=structures[0].code)
    return render(request, "adhesions/home.html", {"structures": structures})


def _scope(access) -> list[Structure]:
    """The structure and, when the instance lets officials above see them, those below it."""
    if not settings.ADHESION_VISIBLE_TO_PARENTS:
        return [access.structure]
    return list(Structure.objects.filter(path__startswith=access.structure.path).order_by("path"))


@require_GET
@login_required
@personal_data
def pipeline(request: HttpRequest, code: str) -> HttpResponse:
    access = get_pipeline_for(request, code)
    structures = _scope(access)
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    requests = selectors.pipeline_filtered(
        structures=structures,
        status=chosen.get("status", ""),
        assignee=chosen.get("assignee", ""),
        viewer=request.user,
        query=chosen.get("q", ""),
    )
    counts = selectors.status_counts(structures=structures)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    services.join_requests_viewed(structure=access.structure, by=request.user, what="list", count=len(page))
    return render(
        request,
        "adhesions/pipeline.html",
        {
            "structure": access.structure,
            "page": page,
            "filters": filters,
            "steps": [(value, label, counts[value]) for value, label in Status.choices],
            "several": len(structures) > 1,
        },
    )


def _detail_context(request, join_request, access, **forms) -> dict:
    return {
        "structure": join_request.structure,
        "join_request": join_request,
        "events": selectors.history(join_request),
        "next_statuses": next_statuses(join_request.status),
        "officials": sorted(services.officials_of(join_request.structure), key=lambda u: u.display_name.lower()),
        "reminder_days": settings.ADHESION_REMINDER_DAYS,
        "note_form": forms.get("note_form") or NoteForm(),
        "remind_form": forms.get("remind_form")
        or RemindForm(
            initial={"on": timezone.localtime(join_request.remind_at).date() if join_request.remind_at else None}
        ),
    }


@require_GET
@login_required
@personal_data
def detail(request: HttpRequest, code: str) -> HttpResponse:
    join_request, access = get_join_request_for(request, code)
    return render(request, "adhesions/detail.html", _detail_context(request, join_request, access))


def _back(join_request) -> HttpResponse:
    return redirect("adhesions:detail", code=join_request.code)


@require_POST
@login_required
@personal_data
def status_change(request: HttpRequest, code: str) -> HttpResponse:
    join_request, _access = get_join_request_for(request, code, need="manage")
    try:
        services.join_request_set_status(
            join_request=join_request, status=request.POST.get("status", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Status changed: %(status)s.") % {"status": join_request.get_status_display()})
    return _back(join_request)


@require_POST
@login_required
@personal_data
def assign(request: HttpRequest, code: str) -> HttpResponse:
    join_request, _access = get_join_request_for(request, code, need="manage")
    chosen = request.POST.get("assignee", "")
    assignee = None
    if chosen:
        assignee = get_user_model().objects.filter(code=chosen).first() if looks_like_code(chosen) else None
        if assignee is None:
            messages.error(request, _("Choose one of the structure's officials."))
            return _back(join_request)
    try:
        services.join_request_assign(join_request=join_request, assignee=assignee, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Follow-up assigned."))
    return _back(join_request)


@require_POST
@login_required
@personal_data
def note(request: HttpRequest, code: str) -> HttpResponse:
    join_request, access = get_join_request_for(request, code, need="manage")
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.join_request_note(join_request=join_request, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Note added."))
            return _back(join_request)
    return render(
        request, "adhesions/detail.html", _detail_context(request, join_request, access, note_form=form), status=400
    )


@require_POST
@login_required
@personal_data
def remind(request: HttpRequest, code: str) -> HttpResponse:
    join_request, access = get_join_request_for(request, code, need="manage")
    form = RemindForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "adhesions/detail.html",
            _detail_context(request, join_request, access, remind_form=form),
            status=400,
        )
    day = form.cleaned_data["on"]
    when = timezone.make_aware(datetime.combine(day, time(8, 0))) if day else None
    try:
        services.join_request_remind_me(join_request=join_request, when=when, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Reminder saved.") if when else _("Reminder cancelled."))
    return _back(join_request)


@require_POST
@login_required
@personal_data
def erase(request: HttpRequest, code: str) -> HttpResponse:
    join_request, _access = get_join_request_for(request, code, need="manage")
    services.join_request_erase(join_request=join_request, by=request.user)
    messages.success(request, _("The personal details and notes of this request were erased."))
    return _back(join_request)


@require_GET
@login_required
@personal_data
def figures(request: HttpRequest, code: str) -> HttpResponse:
    access = get_pipeline_for(request, code)
    structures = _scope(access)
    months = selectors.figures_by_month(structures=structures)
    by_structure = selectors.figures_by_structure(structures=structures) if len(structures) > 1 else []
    return render(
        request,
        "adhesions/figures.html",
        {
            "structure": access.structure,
            "months": months,
            "by_structure": by_structure,
            "total": selectors.total(months, _("Last 12 months")),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
@personal_data
def export(request: HttpRequest, code: str) -> HttpResponse:
    """The real requests as CSV (for the officials' own follow-up); the audit trail records it."""
    access = get_pipeline_for(request, code)
    structures = _scope(access)
    rows = list(selectors.pipeline(structures=structures).filter(erased_at__isnull=True))
    services.join_requests_viewed(structure=access.structure, by=request.user, what="export", count=len(rows))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="adhesions-{access.structure.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Received on"),
            _("Structure"),
            _("Status"),
            _("First name"),
            _("Last name"),
            _("E-mail"),
            _("Telephone"),
            _("Employer"),
            _("Postal code"),
            _("Job"),
            _("Preferred contact"),
            _("Followed by"),
        ]
    )
    for row in rows:
        writer.writerow(
            [
                timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                row.structure.name,
                row.get_status_display(),
                *(_safe(value) for value in (row.first_name, row.last_name, row.email, row.phone, row.employer)),
                row.workplace_postal_code,
                _safe(row.job),
                row.get_preferred_contact_display(),
                row.assignee.display_name if row.assignee else "",
            ]
        )
    return response


def _safe(value: str) -> str:
    """No spreadsheet formula from a visitor's text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
