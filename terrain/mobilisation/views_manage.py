"""The officials' pages: a structure's events, the form, publication and cancellation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.lib.http import personal_data
from terrain.mobilisation import services
from terrain.mobilisation.access import get_event_for
from terrain.mobilisation.forms import CancelForm, EventForm
from terrain.mobilisation.models import Event
from terrain.mobilisation.sections import when_text
from terrain.mobilisation.selectors import structure_events
from terrain.public.models import Site
from terrain.structures.access import get_structure_for
from terrain.structures.views import header_context


def _site(structure) -> Site | None:
    return Site.objects.filter(structure=structure).first()


def compose_url(event: Event, site: Site | None) -> str:
    """The workshop's composer, started with a message about the event (its public page as link)."""
    if site is None or not site.published or not event.published:
        return ""
    link = settings.SITE_URL + reverse("agenda:event", args=[site.slug, event.code])
    text = f"{event.title}\n{when_text(event.starts_at, event.ends_at)}"
    if event.place_name or event.commune:
        text += "\n" + ", ".join(part for part in (event.place_name, event.commune) if part)
    query = urlencode({"titre": event.title, "texte": text, "lien": link})
    return reverse("atelier:message_new", args=[event.structure.code]) + "?" + query


def _page(request, access, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    structure = access.structure
    return render(
        request,
        template,
        {
            **header_context(request, access, "site"),
            "site": _site(structure),
            **context,
        },
        status=status,
    )


@personal_data
@login_required
@require_GET
def event_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    events = list(structure_events(access.structure)[:200])
    return _page(request, access, "mobilisation/manage_list.html", {"events": events})


def _form_values(form: EventForm) -> dict:
    return {key: form.cleaned_data.get(key) for key in services.EDITABLE if key in form.cleaned_data}


def _save(request, form: EventForm, save) -> Event | None:
    if not form.is_valid():
        return None
    try:
        return save(_form_values(form))
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return None


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    form = EventForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        event = _save(
            request,
            form,
            lambda values: services.event_create(
                structure=access.structure, by=request.user, image=request.FILES.get("image"), **values
            ),
        )
        if event is not None:
            messages.success(request, _("The event is saved as a draft: publish it when it is ready."))
            return redirect("mobilisation:edit", event.code)
    return _page(
        request,
        access,
        "mobilisation/manage_form.html",
        {"form": form, "event": None},
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, code: str) -> HttpResponse:
    event_access = get_event_for(request, code, need="manage")
    event = event_access.event
    form = EventForm(request.POST or None, request.FILES or None, instance=event)
    if request.method == "POST":
        saved = _save(
            request,
            form,
            lambda values: services.event_update(
                event=event,
                by=request.user,
                image=request.FILES.get("image"),
                clear_image=bool(form.cleaned_data.get("remove_image")),
                **values,
            ),
        )
        if saved is not None:
            messages.success(request, _("The event is saved."))
            return redirect("mobilisation:edit", saved.code)
        event.refresh_from_db()
    site = _site(event.structure)
    return _page(
        request,
        event_access.structure,
        "mobilisation/manage_form.html",
        {
            "form": form,
            "event": event,
            "cancel_form": CancelForm(initial={"reason": event.cancel_reason}),
            "compose_url": compose_url(event, site),
        },
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_POST
def event_publication(request: HttpRequest, code: str) -> HttpResponse:
    event = get_event_for(request, code, need="manage").event
    published = request.POST.get("publish") == "1"
    services.event_publish(event=event, published=published, by=request.user)
    if published:
        messages.success(request, _("The event is published."))
    else:
        messages.success(request, _("The event is a draft again: it is no longer public."))
    return redirect("mobilisation:edit", event.code)


@personal_data
@login_required
@require_POST
def event_cancellation(request: HttpRequest, code: str) -> HttpResponse:
    event = get_event_for(request, code, need="manage").event
    cancelled = request.POST.get("cancel") == "1"
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.event_cancel(event=event, cancelled=cancelled, reason=reason, by=request.user)
    if cancelled:
        messages.success(request, _("The event is marked cancelled: its page says so."))
    else:
        messages.success(request, _("The event is on again."))
    return redirect("mobilisation:edit", event.code)
