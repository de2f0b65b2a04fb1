"""The workshop's home, a structure's dashboard, its strategy, lexicon, queue, calendar and series.

Every view starts with ``get_atelier_for`` (or ``get_message_for``): a structure
one may not see is a 404, a member without a role in its workshop gets a 403.
Writers and approvers read the strategy; only managers change it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.atelier.access import AtelierAccess, get_atelier_for, get_message_for
from terrain.atelier.forms_plan import (
    WEEKDAYS,
    AudienceForm,
    LexiconForm,
    MoveForm,
    RecurrenceForm,
    SeriesForm,
    SlotForm,
    StrategyForm,
)
from terrain.atelier.models import Audience, ConnectedAccount, LexiconEntry, Message, QueueSlot, Recurrence
from terrain.atelier.selectors_plan import calendar_weeks, upcoming_messages, week_bounds, workshops_of
from terrain.atelier.services.publishing import message_schedule
from terrain.atelier.services.scheduling import (
    STARTED,
    SeriesChanges,
    local_instant,
    next_free_slot,
    recurrence_create,
    recurrence_end,
    recurrence_update,
    slot_add,
    slot_delete,
)
from terrain.atelier.services.strategy import (
    AUDIENCE_SUGGESTIONS,
    audience_delete,
    audience_save,
    lexicon_entry_delete,
    lexicon_entry_save,
    members_of_structure,
    strategy_of,
    strategy_update,
)
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text
from terrain.networks import registry


def _context(access: AtelierAccess, tab: str = "", **extra) -> dict:
    return {"access": access, "structure": access.structure, "tab": tab, "nav": "atelier", **extra}


def _form_error(form, error: ValidationError) -> None:
    try:
        form.add_error(None, error)
    except ValueError:  # a key the form has no field for
        form.add_error(None, error_text(error))


# --- Home and dashboard --------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The structures where I have a workshop role, with what waits in each."""
    return render(request, "atelier/home.html", {"rows": workshops_of(request.user), "nav": "atelier"})


@login_required
@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    structure = access.structure
    today = timezone.localdate()
    weeks = calendar_weeks(structure, today, today + timedelta(days=7))  # this week and the next
    try:
        free = next_free_slot(structure=structure)
    except ValidationError:
        free = None
    context = _context(
        access,
        "dashboard",
        upcoming=upcoming_messages(structure),
        weeks=weeks,
        next_free=free,
        broken=list(structure.connected_accounts.filter(status=ConnectedAccount.Status.BROKEN)),
        has_strategy=strategy_of(structure) is not None,
    )
    return render(request, "atelier/plan/dashboard.html", context)


# --- Strategy -------------------------------------------------------------------------------


def _strategy_initial(strategy) -> dict:
    if strategy is None:
        return {"approval_required": True}
    initial = {
        "editorial_line": strategy.editorial_line,
        "goals": strategy.goals,
        "approval_required": strategy.approval_required,
        "writers": list(strategy.writers.all()),
        "approvers": list(strategy.approvers.all()),
    }
    for cadence in strategy.cadences.all():
        initial[f"cadence_{cadence.network}"] = cadence.posts_per_week
    return initial


def _audiences(access: AtelierAccess, strategy, *, editing=None, edit_form=None) -> list[Audience]:
    """The audiences with their labels and their edit form (the one being edited keeps what was typed)."""
    if strategy is None:
        return []
    labels = dict(registry.choices())
    audiences = list(strategy.audiences.all())
    for audience in audiences:
        audience.network_pairs = [(n, labels.get(n, n)) for n in audience.networks]
        if editing is not None and audience.pk == editing.pk:
            audience.form = edit_form
        else:
            audience.form = AudienceForm(
                prefix=audience.code,
                initial={"name": audience.name, "networks": audience.networks, "notes": audience.notes},
            )
    return audiences


def _render_strategy(
    request, access: AtelierAccess, *, form=None, audience_form=None, editing=None, edit_form=None, status=200
):
    structure = access.structure
    strategy = strategy_of(structure)
    if form is None:
        form = StrategyForm(initial=_strategy_initial(strategy), members=members_of_structure(structure))
    context = _context(
        access,
        "strategy",
        strategy=strategy,
        form=form,
        audiences=_audiences(access, strategy, editing=editing, edit_form=edit_form),
        audience_form=audience_form or AudienceForm(),
        suggestions=AUDIENCE_SUGGESTIONS,
        cadences=list(strategy.cadences.order_by("network")) if strategy else [],
        writers=list(strategy.writers.order_by("display_name")) if strategy else [],
        approvers=list(strategy.approvers.order_by("display_name")) if strategy else [],
    )
    return render(request, "atelier/plan/strategy.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def strategy(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage" if request.method == "POST" else "write")
    if request.method == "GET":
        return _render_strategy(request, access)
    form = StrategyForm(request.POST, members=members_of_structure(access.structure))
    if form.is_valid():
        data = form.cleaned_data
        try:
            strategy_update(
                structure=access.structure,
                by=request.user,
                editorial_line=data["editorial_line"],
                goals=data["goals"],
                approval_required=data["approval_required"],
                writers=list(data["writers"]),
                approvers=list(data["approvers"]),
                cadences=form.cadences(),
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The strategy is saved."))
            return redirect("atelier:strategy", access.structure.code)
    return _render_strategy(request, access, form=form, status=422)


def _get_audience(access: AtelierAccess, audience_code: str) -> Audience:
    audience = None
    if looks_like_code(audience_code):
        audience = Audience.objects.filter(code=audience_code, strategy__structure=access.structure).first()
    if audience is None:
        raise Http404
    return audience


def _audiences_response(request, access: AtelierAccess, *, form=None, editing=None, status=200):
    """The audiences block for htmx, or back to the strategy page."""
    if request.htmx:
        strategy = strategy_of(access.structure)
        context = _context(
            access,
            "strategy",
            strategy=strategy,
            audiences=_audiences(access, strategy, editing=editing, edit_form=form),
            audience_form=form if editing is None and form is not None else AudienceForm(),
            suggestions=AUDIENCE_SUGGESTIONS,
        )
        # htmx swaps only successful answers: errors come back as 200, in place of the block.
        return render(request, "atelier/plan/_audiences.html", context)
    if status != 200:
        return _render_strategy(request, access, audience_form=form, status=status)
    return redirect(reverse("atelier:strategy", args=[access.structure.code]) + "#audiences")


@login_required
@require_POST
def audience_add(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    form = AudienceForm(request.POST)
    if form.is_valid():
        try:
            audience_save(structure=access.structure, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _audiences_response(request, access)
    return _audiences_response(request, access, form=form, status=422)


@login_required
@require_POST
def audience_edit(request: HttpRequest, code: str, audience_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    audience = _get_audience(access, audience_code)
    form = AudienceForm(request.POST, prefix=audience.code)
    if form.is_valid():
        try:
            audience_save(structure=access.structure, audience=audience, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            return _audiences_response(request, access)
    if not request.htmx:
        return _render_strategy(request, access, editing=audience, edit_form=form, status=422)
    return _audiences_response(request, access, form=form, editing=audience, status=422)


@login_required
@require_POST
def audience_remove(request: HttpRequest, code: str, audience_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    audience_delete(audience=_get_audience(access, audience_code))
    return _audiences_response(request, access)


# --- Lexicon --------------------------------------------------------------------------------


def _get_entry(access: AtelierAccess, entry_code: str) -> LexiconEntry:
    entry = None
    if looks_like_code(entry_code):
        entry = LexiconEntry.objects.filter(code=entry_code, structure=access.structure).first()
    if entry is None:
        raise Http404
    return entry


def _render_lexicon(request, access: AtelierAccess, *, form=None, editing=None, edit_form=None, status=200):
    context = _context(
        access,
        "lexicon",
        entries=list(access.structure.lexicon.all()),
        form=form or LexiconForm(),
        editing=editing,
        edit_form=edit_form,
    )
    if request.htmx:  # htmx swaps only successful answers: errors come back as 200, in place of the block
        return render(request, "atelier/plan/_lexicon.html", context)
    return render(request, "atelier/plan/lexicon.html", context, status=status)


@login_required
@require_GET
def lexicon(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    return _render_lexicon(request, access)


@login_required
@require_POST
def lexicon_add(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    form = LexiconForm(request.POST)
    if form.is_valid():
        try:
            lexicon_entry_save(structure=access.structure, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            if request.htmx:
                return _render_lexicon(request, access)
            messages.success(request, _("The acronym is in the lexicon."))
            return redirect("atelier:lexicon", access.structure.code)
    return _render_lexicon(request, access, form=form, status=422)


@login_required
@require_POST
def lexicon_edit(request: HttpRequest, code: str, entry_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    entry = _get_entry(access, entry_code)
    form = LexiconForm(request.POST, prefix=entry.code)
    if form.is_valid():
        try:
            lexicon_entry_save(structure=access.structure, entry=entry, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            if request.htmx:
                return _render_lexicon(request, access)
            messages.success(request, _("The lexicon is saved."))
            return redirect("atelier:lexicon", access.structure.code)
    return _render_lexicon(request, access, editing=entry, edit_form=form, status=422)


@login_required
@require_POST
def lexicon_remove(request: HttpRequest, code: str, entry_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    lexicon_entry_delete(entry=_get_entry(access, entry_code))
    if request.htmx:
        return _render_lexicon(request, access)
    messages.success(request, _("The acronym is removed from the lexicon."))
    return redirect("atelier:lexicon", access.structure.code)


# --- Queue slots ----------------------------------------------------------------------------


def _render_slots(request, access: AtelierAccess, *, form=None, status=200):
    slots = list(QueueSlot.objects.filter(structure=access.structure))
    names = dict(WEEKDAYS)
    for slot in slots:
        slot.day_name = names[slot.weekday]
    try:
        free = next_free_slot(structure=access.structure)
    except ValidationError:
        free = None
    context = _context(access, "slots", slots=slots, form=form or SlotForm(), next_free=free)
    return render(request, "atelier/plan/slots.html", context, status=status)


@login_required
@require_GET
def slots(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    return _render_slots(request, access)


@login_required
@require_POST
def slot_add_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    form = SlotForm(request.POST)
    if form.is_valid():
        try:
            slot_add(structure=access.structure, **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The slot is added to the queue."))
            return redirect("atelier:slots", access.structure.code)
    return _render_slots(request, access, form=form, status=422)


@login_required
@require_POST
def slot_remove(request: HttpRequest, code: str, slot_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    slot = None
    if looks_like_code(slot_code):
        slot = QueueSlot.objects.filter(code=slot_code, structure=access.structure).first()
    if slot is None:
        raise Http404
    slot_delete(slot=slot)
    messages.success(request, _("The slot is removed from the queue."))
    return redirect("atelier:slots", access.structure.code)


# --- Calendar -------------------------------------------------------------------------------


def _parse_day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


@login_required
@require_GET
def calendar(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    view = "semaine" if request.GET.get("vue") == "semaine" else "mois"
    day = _parse_day(request.GET.get("date"))
    if view == "mois":
        first, last = _month_bounds(day)
        weeks = calendar_weeks(access.structure, first, last, month=first.month)
        previous, following = (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)
        hours = []
    else:
        first, _end = week_bounds(day)
        last = first + timedelta(days=6)
        weeks = calendar_weeks(access.structure, first, last)
        previous, following = first - timedelta(days=7), first + timedelta(days=7)
        items = [m for d in weeks[0].days for m in d.items]
        low = min([7, *(m.local_at.hour for m in items)])
        high = max([21, *(m.local_at.hour for m in items)])
        hours = list(range(low, high + 1))
        for d in weeks[0].days:
            d.hours = [
                (hour, [m for m in d.items if m.local_at.hour == hour], [s for s in d.free_slots if s.hour == hour])
                for hour in hours
            ]
    context = _context(
        access,
        "calendar",
        view=view,
        day=day,
        first=first,
        last=last,
        weeks=weeks,
        hours=hours,
        previous=previous,
        following=following,
        today=timezone.localdate(),
        can_move=access.can_approve,
        move_form=MoveForm(),
        weekday_names=[name for _n, name in WEEKDAYS],
    )
    return render(request, "atelier/plan/calendar.html", context)


@login_required
@require_POST
def calendar_move(request: HttpRequest, code: str, message_code: str) -> HttpResponse:
    """Move a scheduled message to another day (same time of day) or another time.

    Called by the drag-and-drop script (answers JSON) and by the "move to" form (redirects).
    """
    access = get_atelier_for(request, code, need="approve")
    message, _access = get_message_for(request, message_code, need="approve")
    if message.structure_id != access.structure.pk:
        raise Http404
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    back = reverse("atelier:calendar", args=[access.structure.code])
    back += "?" + request.POST.get("back", "") if request.POST.get("back", "").startswith("vue=") else ""
    form = MoveForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Choose a valid day and time.")
    elif message.status != Message.Status.SCHEDULED:
        error = _("Only a scheduled message can be moved.")
    elif message.publications.filter(state__in=STARTED).exists():
        error = _("This message is being published: it can no longer move.")
    else:
        current = timezone.localtime(message.scheduled_at)
        at_time = form.cleaned_data["time"] or current.time()
        at = local_instant(form.cleaned_data["date"], at_time, timezone.get_current_timezone_name())
        if at <= timezone.now():
            error = _("Choose a moment in the future.")
        else:
            try:
                message_schedule(message=message, at=at, by=request.user)
            except ValidationError as problem:
                error = error_text(problem)
    if wants_json:
        if error:
            return JsonResponse({"ok": False, "error": error}, status=422)
        return JsonResponse({"ok": True})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The message is moved."))
    return redirect(back)


# --- Series (recurring messages) --------------------------------------------------------------


def _get_recurrence(access: AtelierAccess, recurrence_code: str) -> Recurrence:
    recurrence = None
    if looks_like_code(recurrence_code):
        recurrence = Recurrence.objects.filter(code=recurrence_code, structure=access.structure).first()
    if recurrence is None:
        raise Http404
    return recurrence


@login_required
@require_http_methods(["GET", "POST"])
def recurrence_new(request: HttpRequest, code: str, message_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="approve")
    message, _access = get_message_for(request, message_code, need="approve")
    if message.structure_id != access.structure.pk:
        raise Http404
    if request.method == "POST":
        form = RecurrenceForm(request.POST)
        if form.is_valid():
            try:
                recurrence = recurrence_create(
                    message=message, by=request.user, tz_name=timezone.get_current_timezone_name(), **form.cleaned_data
                )
            except ValidationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The message is repeated."))
                return redirect("atelier:recurrence", access.structure.code, recurrence.code)
        status = 422
    else:
        form = RecurrenceForm(initial=RecurrenceForm.initial_for(message))
        status = 200
    return render(
        request,
        "atelier/plan/recurrence_new.html",
        _context(access, "calendar", form=form, message=message),
        status=status,
    )


def _render_series(request, access, recurrence, *, form=None, status=200):
    occurrences = list(
        Message.objects.filter(recurrence=recurrence)
        .select_related("recurrence")
        .prefetch_related("accounts")
        .order_by("occurrence_on")
    )
    if form is None:
        latest = occurrences[-1] if occurrences else None
        form = SeriesForm(
            initial={
                "frequency": recurrence.frequency,
                "interval": recurrence.interval,
                "local_time": recurrence.local_time,
                "ends_on": recurrence.ends_on,
                "body": latest.body if latest else "",
            }
        )
    context = _context(access, "calendar", recurrence=recurrence, occurrences=occurrences, form=form)
    return render(request, "atelier/plan/recurrence.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def recurrence_detail(request: HttpRequest, code: str, recurrence_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="approve" if request.method == "POST" else "write")
    recurrence = _get_recurrence(access, recurrence_code)
    if request.method == "GET":
        return _render_series(request, access, recurrence)
    form = SeriesForm(request.POST)
    if form.is_valid():
        try:
            recurrence_update(recurrence=recurrence, by=request.user, changes=SeriesChanges(**form.cleaned_data))
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The coming publications of the series are changed."))
            return redirect("atelier:recurrence", access.structure.code, recurrence.code)
    return _render_series(request, access, recurrence, form=form, status=422)


@login_required
@require_POST
def recurrence_stop(request: HttpRequest, code: str, recurrence_code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="approve")
    recurrence = _get_recurrence(access, recurrence_code)
    recurrence_end(recurrence=recurrence, by=request.user)
    messages.success(request, _("The series is stopped: nothing more will be published."))
    return redirect("atelier:recurrence", access.structure.code, recurrence.code)
