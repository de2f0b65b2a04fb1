"""The officials' page of a structure's public site: edit it, publish it, reach its tools."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terrain.lib.codes import looks_like_code
from terrain.lib.http import personal_data
from terrain.public import documents, registry, services
from terrain.public.access import get_site_for
from terrain.public.forms import DocumentForm, SiteForm
from terrain.public.models import Site, SiteDocument
from terrain.structures.views import header_context


def _tools(structure) -> list[dict]:
    tools = []
    for section in registry.sections():
        if not section.manage_url_name:
            continue
        try:
            url = reverse(section.manage_url_name, args=[structure.code])
        except NoReverseMatch:
            continue
        tools.append({"label": section.manage_label or section.label, "url": url})
    return tools


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_site_for(request, code, need="manage")
    structure = access.structure
    site = Site.objects.filter(structure=structure).first()
    if site is None:
        site = Site(structure=structure, slug=services.suggested_slug(structure), commune=structure.commune)
    form = SiteForm(request.POST or None, request.FILES or None, instance=site)
    if request.method == "POST" and form.is_valid():
        values = {key: form.cleaned_data[key] for key in services.EDITABLE}
        logo = request.FILES.get("logo")
        try:
            site = services.site_save(
                structure=structure,
                by=request.user,
                logo=logo,
                clear_logo=form.cleaned_data.get("logo") is False,
                **values,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The site is saved."))
            return redirect("public_manage:edit", structure.code)
    return render(
        request,
        "public/manage.html",
        {
            **header_context(request, access, "site"),
            "site": site if site.pk else None,
            "form": form,
            "tools": _tools(structure),
            "domain_waiting": bool(site.custom_domain) and site.custom_domain not in settings.PUBLIC_SITE_DOMAINS,
        },
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_POST
def site_publication(request: HttpRequest, code: str) -> HttpResponse:
    access = get_site_for(request, code, need="manage")
    site = Site.objects.filter(structure=access.structure).first()
    if site is None:
        messages.error(request, _("Save the site first."))
    elif request.POST.get("publish") == "1":
        services.site_publish(site=site, by=request.user)
        messages.success(request, _("The site is public: anyone can read it at its address."))
    else:
        services.site_unpublish(site=site, by=request.user)
        messages.success(request, _("The site is closed: its pages no longer exist for visitors."))
    return redirect("public_manage:edit", access.structure.code)


def _site_or_404(structure) -> Site:
    site = Site.objects.select_related("structure").filter(structure=structure).first()
    if site is None:
        raise Http404
    return site


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def site_documents(request: HttpRequest, code: str) -> HttpResponse:
    """The officials choose which files of their library the site offers."""
    access = get_site_for(request, code, need="manage")
    structure = access.structure
    site = _site_or_404(structure)
    offered = list(documents.files_publishable(site)[:500])
    form = DocumentForm(request.POST or None, files_offered=offered)
    if request.method == "POST" and form.is_valid():
        try:
            documents.site_document_add(
                site=site,
                file=form.files_offered[form.cleaned_data["file"]],
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The document is on the site."))
            return redirect("public_manage:documents", structure.code)
    return render(
        request,
        "public/manage_documents.html",
        {
            **header_context(request, access, "site"),
            "site": site,
            "form": form,
            "documents": documents.documents_of(site),
        },
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_POST
def site_document_remove(request: HttpRequest, code: str, document: str) -> HttpResponse:
    access = get_site_for(request, code, need="manage")
    site = _site_or_404(access.structure)
    found = SiteDocument.objects.filter(site=site, code=document).first() if looks_like_code(document) else None
    if found is None:
        raise Http404
    documents.site_document_remove(document=found, by=request.user)
    messages.success(request, _("The document is no longer on the site; it stays in the library."))
    return redirect("public_manage:documents", access.structure.code)
