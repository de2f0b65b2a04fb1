"""The officials' pages of the petitions: write, open and close them, take the signatures."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.lib.http import error_text, personal_data
from terrain.petitions import services
from terrain.petitions.access import get_petition_for
from terrain.petitions.forms import PetitionForm
from terrain.petitions.models import Petition, Signature
from terrain.petitions.selectors import confirmed_signatures, pending_count, petitions_for_officials
from terrain.petitions.views_public import counter_snippet, petition_url, share_kit
from terrain.public.models import Site
from terrain.structures.access import get_structure_for
from terrain.structures.views import header_context


def _frame(request, access) -> dict:
    """What the structure's header needs (the petitions sit under its "Public site" tab)."""
    return header_context(request, access, "site")


def _site(structure) -> Site | None:
    return Site.objects.filter(structure=structure).first()


@login_required
@require_GET
def petition_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    return render(
        request,
        "petitions/list.html",
        {
            **_frame(request, access),
            "petitions": petitions_for_officials(access.structure),
            "site": _site(access.structure),
        },
    )


def _save(request, access, petition: Petition | None) -> HttpResponse:
    form = PetitionForm(request.POST or None, request.FILES or None, instance=petition)
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data[key] for key in services.EDITABLE}
        try:
            petition = services.petition_save(
                structure=access.structure,
                by=request.user,
                petition=petition,
                image=request.FILES.get("image"),
                clear_image=form.cleaned_data.get("image") is False,
                **values,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The petition is saved."))
            return redirect("petitions:detail", petition.code)
    return render(
        request,
        "petitions/form.html",
        {**_frame(request, access), "form": form, "petition": petition},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def petition_new(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    return _save(request, access, None)


@login_required
@require_http_methods(["GET", "POST"])
def petition_edit(request: HttpRequest, code: str) -> HttpResponse:
    petition, access = get_petition_for(request, code, need="manage")
    return _save(request, access, petition)


@login_required
@require_GET
def petition_detail(request: HttpRequest, code: str) -> HttpResponse:
    petition, access = get_petition_for(request, code, need="manage")
    site = _site(access.structure)
    context = {**_frame(request, access), "petition": petition, "site": site}
    context["pending"] = pending_count(petition)
    if site is not None and petition.is_public:
        kit = share_kit(site, petition)
        context.update(kit)
        context["snippet"] = counter_snippet(site, petition)
        prefill = {"titre": petition.title, "texte": kit["share_text"], "lien": petition_url(site, petition)}
        context["compose_url"] = reverse("atelier:message_new", args=[access.structure.code]) + "?" + urlencode(prefill)
    return render(request, "petitions/detail.html", context)


@login_required
@require_POST
def petition_move(request: HttpRequest, code: str) -> HttpResponse:
    petition, _access = get_petition_for(request, code, need="manage")
    target = request.POST.get("to", "")
    if target not in Petition.State.values:
        messages.error(request, _("Choose open or closed."))
        return redirect("petitions:detail", petition.code)
    try:
        services.petition_move(petition=petition, to=target, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The petition is open: share it.") if target == Petition.State.OPEN else _("The petition is closed."),
        )
    return redirect("petitions:detail", petition.code)


@personal_data
@login_required
@require_GET
def signatures_export(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmed signatures as CSV, to deliver the petition; the e-mail addresses stay here."""
    petition, _access = get_petition_for(request, code, need="manage")
    rows = list(confirmed_signatures(petition))
    services.signatures_exported(petition=petition, by=request.user, rows=len(rows))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="petition-{petition.code}.csv"'
    response.write("\ufeff")  # spreadsheets read the accents right
    writer = csv.writer(response)
    fields = Signature._meta
    header = [capfirst(fields.get_field(name).verbose_name) for name in ("first_name", "last_name", "postal_code")]
    writer.writerow([*header, _("Date"), capfirst(fields.get_field("comment").verbose_name)])
    for first_name, last_name, postal_code, confirmed_at, comment in rows:
        writer.writerow(
            [
                _neutral(first_name),
                _neutral(last_name),
                _neutral(postal_code),
                timezone.localtime(confirmed_at).strftime("%Y-%m-%d %H:%M"),
                _neutral(comment),
            ]
        )
    return response


def _neutral(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
