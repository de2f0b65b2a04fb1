"""Keyword watches of a structure: list with what each stream found, create, edit, pause, delete.

Managers of the structure's workshop only (``get_inbox_for(need="manage")``, ``get_watch_for``).
What the watches find lands in the inbox; these pages say what is watched and how the reading goes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.inbox import watching
from terrain.inbox.access import get_inbox_for, get_watch_for
from terrain.inbox.forms_watch import WatchForm
from terrain.inbox.models import Watch
from terrain.lib.access import Need
from terrain.lib.http import personal_data


def _context(access, **extra) -> dict:
    return {"structure": access.structure, "access": access, "nav": "atelier", **extra}


@personal_data  # watched words may name people
@login_required
@require_GET
def watch_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_inbox_for(request, code, need=Need.MANAGE)
    watches = list(Watch.objects.filter(structure=access.structure))
    states = watching.watch_states(watches)
    rows = [(watch, states[watch.pk]) for watch in watches]
    return render(
        request,
        "inbox/watch/list.html",
        _context(access, rows=rows, searchable=watching.searchable_networks_of(access.structure)),
    )


def _networks_for(structure, watch: Watch | None) -> list[str]:
    """The networks offered: those the structure can search, and those the watch already names
    (kept when their account went, so that the page says what is missing rather than forget it)."""
    offered = set(watching.searchable_networks_of(structure)) | set(watch.networks if watch else [])
    return [kind for kind in watching.searchable_networks() if kind in offered]


def _form_page(request: HttpRequest, access, watch: Watch | None) -> HttpResponse:
    form = WatchForm(request.POST or None, networks=_networks_for(access.structure, watch), watch=watch)
    if request.method == "POST" and form.is_valid():
        watch = watching.watch_save(
            structure=access.structure,
            by=request.user,
            watch=watch,
            name=form.cleaned_data["name"],
            terms=form.cleaned_data["terms"],
            networks=form.cleaned_data["networks"],
            feeds=form.cleaned_data["feeds"],
        )
        messages.success(request, _("The watch is saved: what it finds will come into the inbox."))
        return redirect("inbox_watch:list", access.structure.code)
    return render(
        request,
        "inbox/watch/form.html",
        _context(access, form=form, watch=watch),
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def watch_new(request: HttpRequest, code: str) -> HttpResponse:
    access = get_inbox_for(request, code, need=Need.MANAGE)
    return _form_page(request, access, None)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def watch_edit(request: HttpRequest, code: str) -> HttpResponse:
    watch, access = get_watch_for(request, code, need=Need.MANAGE)
    return _form_page(request, access, watch)


@login_required
@require_POST
def watch_active(request: HttpRequest, code: str) -> HttpResponse:
    """Pause the watch, or start it again (``active`` = "1")."""
    watch, access = get_watch_for(request, code, need=Need.MANAGE)
    active = request.POST.get("active") == "1"
    watching.watch_set_active(watch=watch, active=active, by=request.user)
    if active:
        messages.success(request, _("The watch is reading again."))
    else:
        messages.success(request, _("The watch is paused: what it found stays in the inbox."))
    return redirect(f"{_list_url(access)}#watch-{watch.code}")


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def watch_delete(request: HttpRequest, code: str) -> HttpResponse:
    watch, access = get_watch_for(request, code, need=Need.MANAGE)
    if request.method == "POST":
        watching.watch_delete(watch=watch, by=request.user)
        messages.success(request, _("The watch is deleted, with what it had found."))
        return redirect("inbox_watch:list", access.structure.code)
    return render(request, "inbox/watch/delete.html", _context(access, watch=watch))


def _list_url(access) -> str:
    return reverse("inbox_watch:list", args=[access.structure.code])
