"""The composer: message list, writing with live previews and autosave, images, "share outside".

Every view starts with an atelier access helper (404 for whoever may not know
the structure, 403 for a member without a role in its workshop) and writes
through ``terrain.atelier.services.messages``.

The composer is one form. Typing sends it (htmx, half a second after the last
key) to the same URL, which saves the draft and answers with the counters, the
previews and the coach's flags. Without JavaScript the buttons post the same
form and the page comes back with the same information. What the page shows about the
text (counters, previews, the coach) is computed in ``compose_live``.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, time
from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.atelier.access import atelier_access, get_atelier_for, get_message_for
from terrain.atelier.forms import ComposerForm, ScheduleForm
from terrain.atelier.message_selectors import (
    FILTERS,
    account_label,
    accounts_to_tick,
    message_url,
    messages_of,
    publication_summary,
    usable_accounts,
)
from terrain.atelier.models import ConnectedAccount, Message, MessageImage
from terrain.atelier.services import messages as services
from terrain.atelier.services.publishing import approval_required
from terrain.atelier.views.compose_live import (
    form_state,
    live_state,
    preview_html,  # noqa: F401 (the message page takes it from here)
    with_coach_fix,
)
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text, protected_file
from terrain.library.access import get_file_for
from terrain.networks import registry
from terrain.news.access import get_post_for

LIST_PAGE_SIZE = 30
PLAN_ACTIONS = {"schedule", "publish_now", "next_slot"}
#: Done in place with htmx (the page keeps what is typed), by a full post without JavaScript.
IMAGE_ACTIONS = {"add_image", "remove_image"}


def _edit_url(message: Message) -> str:
    return reverse("atelier:message_edit", args=[message.code])


def saved_at_text(moment) -> str:
    """ "10 h 42" in French: the format itself is translated."""
    return time_format(timezone.localtime(moment), _("g:i a"))


# --- List ---------------------------------------------------------------------------------


@login_required
@require_GET
def message_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="write")
    status_filter = request.GET.get("statut", "")
    if status_filter not in FILTERS:
        status_filter = ""
    page = Paginator(messages_of(structure=access.structure, status_filter=status_filter), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    for message in page.object_list:
        message.outcome = publication_summary(message)
    return render(
        request,
        "atelier/compose/list.html",
        {
            "structure": access.structure,
            "access": access,
            "page": page,
            "filters": [(key, label) for key, (label, _statuses) in FILTERS.items()],
            "status_filter": status_filter,
            "nav": "atelier",
        },
    )


# --- Composer -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def message_new(request: HttpRequest, code: str) -> HttpResponse:
    """A new message. Its first save (autosave or button) creates the draft, found again by the form's key."""
    access = get_atelier_for(request, code, need="write")
    key = request.POST.get("submission_key") or uuid.uuid4().hex
    message = None
    if request.method == "POST":
        key = services.clean_submission_key(key) or uuid.uuid4().hex
        message = Message.objects.filter(author=request.user, structure=access.structure, submission_key=key).first()
    return _compose(request, access, message, key=key, start=_start_of(request) if request.method == "GET" else None)


def _start_of(request: HttpRequest) -> dict:
    """What a link starts a message with: ``?date=2030-07-14&heure=09:30&reseau=bluesky``, words to relay.

    A day gone by, or words that are no day, start nothing: the form is the usual empty one.
    """
    start: dict = {}
    with contextlib.suppress(ValueError):
        day = date.fromisoformat(request.GET.get("date", ""))
        if day >= timezone.localdate():
            start["date"] = day
            with contextlib.suppress(ValueError):
                start["time"] = time.fromisoformat(request.GET.get("heure", ""))
    if request.GET.get("reseau") in registry.available_kinds():
        start["network"] = request.GET["reseau"]
    # Another tool opens the composer with words to relay (a petition: ``?titre=&texte=&lien=``).
    for name, key, limit in (("titre", "title", 200), ("texte", "body", 5000), ("lien", "link", 500)):
        value = request.GET.get(name, "").strip()
        if value and (key != "link" or value.startswith(("https://", "http://"))):
            start[key] = value[:limit]
    return start


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_message_for(request, code, need="write")
    if message.status not in services.EDITABLE:
        if request.htmx:
            # An autosave from a page left open: say it, and leave the page as it is.
            response = render(request, "atelier/compose/_locked.html", {"message": message})
            response["HX-Reswap"] = "none"
            return response
        flash.info(request, _("This message can no longer be changed."))
        return redirect(message_url(message))
    return _compose(request, access, message, key="", start=_start_of(request) if request.method == "GET" else None)


def _compose(
    request: HttpRequest, access, message: Message | None, *, key: str, start: dict | None = None
) -> HttpResponse:
    structure = access.structure
    accounts = usable_accounts(structure=structure)
    images = list(message.images.all()) if message else []
    initial = {}
    start = start or {}
    schedule_initial = {k: start[k] for k in ("date", "time") if k in start}
    if message is None and request.method == "GET":
        initial["accounts"] = accounts_to_tick(
            structure=structure, author=request.user, accounts=accounts, network=start.get("network", "")
        )
        initial.update({key: start[key] for key in ("title", "body", "link") if key in start})
    if message is not None:
        initial = {
            "title": message.title,
            "body": message.body,
            "link": message.link,
            "accounts": [a.code for a in message.accounts.all()],
            **{f"variant_{v.network}": v.body for v in message.variants.all()},
            **{f"alt_{i.code}": i.alt_text for i in images},
        }
    data = request.POST
    if request.method == "POST" and data.get("fix"):
        data = with_coach_fix(data, structure=structure)
    form = ComposerForm(data or None, request.FILES or None, accounts=accounts, images=images, initial=initial)
    if request.method == "GET":
        return _render_composer(request, access, message, form, key=key, schedule_initial=schedule_initial)

    action = request.POST.get("action", "save")
    remove_code = request.POST.get("remove_image", "")
    if remove_code:
        action = "remove_image"
    if not form.is_valid():
        return _render_composer(request, access, message, form, key=key, status=200 if request.htmx else 400)
    created = message is None
    try:
        message = _save(request, access, message, form, key=key, action=action)
    except ValidationError as error:
        form.add_error(None, error)
        return _render_composer(request, access, message, form, key=key, status=200 if request.htmx else 400)
    if request.htmx and message is not None and action in IMAGE_ACTIONS:
        response = _images_in_place(request, access, message, form, action=action, remove_code=remove_code, key=key)
    elif request.htmx:
        response = _render_live(request, access, message, form, key=key)
    if request.htmx:
        if created and message is not None:
            response["HX-Replace-Url"] = _edit_url(message)
        return response
    if message is None:
        form.add_error(None, _("Write something before saving."))
        return _render_composer(request, access, None, form, key=key, status=400)

    try:
        return _composer_action(request, access, message, form, action, remove_code)
    except ValidationError as error:
        form.add_error(None, error)
    # Show the page again with what was typed, the images as they are now, and the problem.
    images = list(message.images.all())
    form = _rebound(request, accounts, images, form)
    return _render_composer(request, access, message, form, key=key, status=400)


def _images_in_place(request, access, message: Message, form: ComposerForm, *, action: str, remove_code: str, key: str):
    """Add or remove an image without leaving the page (htmx): the answer is the composer, of
    which the page takes the images, the previews and the counters; what is typed stays as it is."""
    notice = error = ""
    try:
        if action == "add_image":
            upload = form.cleaned_data.get("image")
            if not upload:
                raise ValidationError(_("Choose an image to add."))
            services.message_image_add(
                message=message, by=request.user, file=upload, alt_text=form.cleaned_data["image_alt"]
            )
            notice = _("The image is added.")
        else:
            image = next((i for i in form.images if i.code == remove_code), None)
            if image is not None:  # None: removed already (the button pressed twice)
                services.message_image_remove(image=image, by=request.user)
            notice = _("The image is removed.")
    except ValidationError as problem:
        error = " ".join(problem.messages)
    images = list(message.images.all())
    data = request.POST.copy()
    data["image_alt"] = ""  # the next image gets its own description
    for image in images:
        data.setdefault(f"alt_{image.code}", image.alt_text)
    form = ComposerForm(data, accounts=form._accounts.values(), images=images)
    form.is_valid()
    context = _composer_context(request, access, message, form, key=key)
    context.update(images_notice=notice, images_error=error)
    return render(request, "atelier/compose/composer.html", context)


def _schedule_query(request: HttpRequest) -> str:
    """The day and time typed, for the page shown again after an image (without JavaScript)."""
    schedule = ScheduleForm(request.POST)
    if not schedule.is_valid():
        return ""
    return "?" + urlencode(
        {"date": schedule.cleaned_data["date"].isoformat(), "heure": f"{schedule.cleaned_data['time']:%H:%M}"}
    )


def _rebound(request, accounts, images, old_form) -> ComposerForm:
    form = ComposerForm(request.POST, accounts=accounts, images=images)
    form.is_valid()
    for error in old_form.non_field_errors():
        form.add_error(None, error)
    for error in old_form.errors.get("image", []):
        form.add_error(None, error)
    return form


def _has_content(form: ComposerForm) -> bool:
    data = form.cleaned_data
    return bool(
        data.get("body") or data.get("title") or data.get("link") or data.get("image") or any(form.variants.values())
    )


def _save(request, access, message: Message | None, form: ComposerForm, *, key: str, action: str) -> Message | None:
    """Create or update the draft from the form; None when a new composer holds nothing yet."""
    data = form.cleaned_data
    fields = {
        "body": data["body"],
        "title": data["title"],
        "link": data["link"],
        "accounts": data["accounts"],
        "variants": form.variants,
    }
    if message is None:
        if not _has_content(form) and action == "save":
            return None
        message = services.message_create(structure=access.structure, author=request.user, submission_key=key, **fields)
    if message.status in services.EDITABLE:
        message = services.message_update(message=message, by=request.user, **fields)
        for image in form.images:
            services.message_image_set_alt(image=image, by=request.user, alt_text=form.alt_texts[image.code])
    return message


def _composer_action(request, access, message: Message, form: ComposerForm, action: str, remove_code: str):
    user = request.user
    if action == "add_image":
        upload = form.cleaned_data.get("image")
        if not upload:
            raise ValidationError(_("Choose an image to add."))
        services.message_image_add(message=message, by=user, file=upload, alt_text=form.cleaned_data["image_alt"])
        flash.success(request, _("The image is added."))
        return redirect(_edit_url(message) + _schedule_query(request) + "#images")
    if action == "remove_image":
        image = next((i for i in form.images if i.code == remove_code), None)
        if image is not None:  # None: removed already (the button pressed twice)
            services.message_image_remove(image=image, by=user)
            flash.success(request, _("The image is removed."))
        return redirect(_edit_url(message) + _schedule_query(request) + "#images")
    if action == "submit":
        if message.status != Message.Status.SUBMITTED:  # sent twice: it is submitted already
            services.message_submit(message=message, by=user)
        flash.success(request, _("Your message is sent for approval."))
        return redirect(message_url(message))
    if action == "approve":
        services.message_approve(message=message, by=user)
        flash.success(request, _("The message is approved."))
        return redirect(message_url(message))
    if action in PLAN_ACTIONS:
        return plan_publication(
            request, access, message, action, warn_broken=not request.POST.get("schedule_anyway"), to_calendar=True
        )
    flash.success(request, _("Saved at %(time)s.") % {"time": saved_at_text(timezone.now())})
    return redirect(_edit_url(message))


def plan_publication(
    request, access, message: Message, action: str, *, warn_broken: bool = False, to_calendar: bool = False
) -> HttpResponse:
    """Schedule, publish now or take the next free slot; an approver's unapproved draft is approved first.

    With ``warn_broken``, scheduling to an account that must be reconnected is stopped
    once with a warning (the composer then offers "Schedule anyway"): it may be
    reconnected by then, or the person may rather untick it. Publishing now to such an
    account is always refused, by the service.

    With ``to_calendar``, a scheduled message leads to its week in the calendar, where
    the free slots and the gaps start the next message in one click.
    """
    if not access.can_approve:
        raise PermissionDenied
    if action == "schedule":
        schedule = ScheduleForm(request.POST)
        if not schedule.is_valid():
            raise ValidationError([e for errors in schedule.errors.values() for e in errors])
        at = schedule.cleaned_data["at"]
    elif action == "next_slot":
        from terrain.atelier.services.scheduling import next_free_slot

        at = next_free_slot(structure=message.structure, after=timezone.now())
    else:
        at = None
    if at is not None and warn_broken and (broken := services.accounts_to_reconnect(message)):
        raise ValidationError(
            ngettext(
                "%(accounts)s must be reconnected: nothing is published on it until then. A manager of the "
                "structure reconnects it on the “Accounts” page before the publication time, or untick it. "
                "To schedule anyway, tick “Schedule anyway” and press the button again.",
                "%(accounts)s must be reconnected: nothing is published on them until then. A manager of the "
                "structure reconnects them on the “Accounts” page before the publication time, or untick them. "
                "To schedule anyway, tick “Schedule anyway” and press the button again.",
                len(broken),
            )
            % {"accounts": ", ".join(account_label(a) for a in broken)},
            code="account_broken",
        )
    with transaction.atomic():  # refused, it is not approved either
        if message.status in services.APPROVABLE and approval_required(message.structure):
            services.message_approve(message=message, by=request.user)
        message = services.message_plan_publication(message=message, by=request.user, at=at)
    if at is None:
        flash.success(request, _("The message is being published."))
    else:
        flash.success(
            request,
            _("The message is scheduled for %(when)s.")
            # The page says the date this way too: one format on a page.
            % {"when": date_format(timezone.localtime(message.scheduled_at), "DATETIME_FORMAT")},
        )
        if to_calendar:
            day = timezone.localdate(message.scheduled_at).isoformat()
            calendar = reverse("atelier:calendar", args=[message.structure.code])
            return redirect(f"{calendar}?vue=semaine&date={day}#cal-{message.code}")
    return redirect(message_url(message))


def _composer_context(request, access, message: Message | None, form: ComposerForm, *, key: str) -> dict:
    can_plan = access.can_approve and (
        message is None or message.status in services.APPROVABLE | services.APPROVED_WORDS
    )
    broken_ticked = [a for a in form_state(form)["accounts"] if a.status == ConnectedAccount.Status.BROKEN]
    return {
        "structure": access.structure,
        "access": access,
        "message": message,
        "form": form,
        # Offered once the warning was given: scheduling to an account to reconnect is a choice made knowingly.
        "offer_schedule_anyway": bool(broken_ticked) and request.POST.get("action") in {"schedule", "next_slot"},
        "key": key,
        "live": live_state(structure=access.structure, form=form),
        "saved_at": saved_at_text(message.updated_at) if message else "",
        "post_url": _edit_url(message) if message else reverse("atelier:message_new", args=[access.structure.code]),
        "can_submit": message is None or message.status in services.SUBMITTABLE,
        "can_approve": access.can_approve and (message is None or message.status in services.APPROVABLE),
        "can_plan": can_plan,
        "approval_required": approval_required(access.structure),
        "schedule_form": ScheduleForm(
            request.POST if request.method == "POST" and request.POST.get("action") == "schedule" else None,
            # A scheduled message's day and time are where "Change the date" starts.
            initial=ScheduleForm.initial_for(message) if message and message.status == Message.Status.SCHEDULED else {},
        ),
        "max_images": services.MAX_IMAGES,
        "nav": "atelier",
    }


def _render_composer(
    request, access, message, form, *, key: str, status: int = 200, schedule_initial: dict | None = None
) -> HttpResponse:
    if request.htmx:
        return _render_live(request, access, message, form, key=key, status=status)
    context = _composer_context(request, access, message, form, key=key)
    if schedule_initial:
        context["schedule_form"] = ScheduleForm(initial=schedule_initial)
    return render(request, "atelier/compose/composer.html", context, status=status)


def _render_live(request, access, message, form, *, key: str, status: int = 200) -> HttpResponse:
    context = _composer_context(request, access, message, form, key=key)
    context["oob"] = True
    return render(request, "atelier/compose/_live.html", context, status=status)


@login_required
@require_GET
def message_image(request: HttpRequest, code: str) -> HttpResponse:
    """An image of a message, for the people of the workshop only; never a public file."""
    if not looks_like_code(code):
        raise Http404
    picture = MessageImage.objects.select_related("message").filter(code=code).first()
    if picture is None:
        raise Http404
    get_message_for(request, picture.message.code, need="write")
    return protected_file(request, picture.image, max_age=3600)


# --- Share outside ----------------------------------------------------------------------------


def _workshop_to_write_in(request: HttpRequest, cooperative):
    """The structure whose workshop receives what is shared from ``cooperative``, when the
    viewer may write there: 404 for an open cooperative (no structure, no workshop) or a
    structure they may not see, 403 when they may see it but not write."""
    structure = cooperative.structure
    if structure is None:
        raise Http404
    access = atelier_access(user=request.user, structure=structure)
    if not access.can_see_structure:
        raise Http404
    if not access.can_write:
        raise PermissionDenied
    return structure


@login_required
@require_POST
def share_outside(request: HttpRequest, code: str) -> HttpResponse:
    """A cooperative news post becomes a draft of its structure's workshop, then opens in the composer."""
    post_access = get_post_for(request, code)
    structure = _workshop_to_write_in(request, post_access.post.cooperative)
    message = services.message_from_post(post=post_access.post, structure=structure, by=request.user)
    flash.success(request, _("A draft is ready with the post's text and images: adapt it for the networks."))
    return redirect(_edit_url(message))


@login_required
@require_POST
def share_photo(request: HttpRequest, code: str) -> HttpResponse:
    """A library photo becomes a draft of its cooperative's structure's workshop, unless consent is missing.

    Only a structure's private cooperative has a workshop (as for "share outside"): an
    open cooperative belongs to no structure, so its photos are not offered.
    """
    file_access = get_file_for(request, code)
    structure = _workshop_to_write_in(request, file_access.file.cooperative)
    try:
        message = services.message_from_library_file(file=file_access.file, structure=structure, by=request.user)
    except ValidationError as error:
        flash.error(request, error_text(error))
        return redirect("library:file", file_access.file.code)
    flash.success(request, _("A draft is ready with the photo: write the text and describe the image."))
    return redirect(_edit_url(message))
