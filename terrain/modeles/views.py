"""Pages of the fill-in templates: the list, upload or write a template, fill it in, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from terrain.cooperatives.access import CooperativeAccess, get_cooperative_for
from terrain.lib.http import personal_data, protected_file
from terrain.modeles import services
from terrain.modeles.access import TemplateAccess, get_template_for, offered_template_access, template_open_for
from terrain.modeles.documents import CONTENT_TYPES, WRITTEN, DocumentError, fill
from terrain.modeles.forms import EditForm, FillForm, UploadForm, WriteForm
from terrain.modeles.models import SavedAnswers
from terrain.modeles.selectors import templates_of, templates_offered_to
from terrain.modeles.services import (
    answers_forget,
    answers_keep,
    sample_values,
    template_create,
    template_update,
)
from terrain.modeles.tools import MODELES


def _context(access: CooperativeAccess, **extra) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": MODELES, "nav": "cooperatives", **extra}


def _download(content: bytes, *, name: str, extension: str) -> HttpResponse:
    """A generated file, as an attachment nobody keeps (it holds a member's answers)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    filename = (slugify(name) or "modele") + "." + extension
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_GET
def template_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="read").require_tool(MODELES)
    templates = list(templates_of(access.cooperative))
    offered = list(templates_offered_to(access.cooperative))
    return render(request, "modeles/list.html", _context(access, templates=templates, offered=offered))


def _create(request: HttpRequest, code: str, form_class, template_name: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate").require_tool(MODELES)
    form = form_class(request.POST or None, request.FILES or None, cooperative=access.cooperative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form_class is UploadForm:
            source, content = form.source, form.content
        else:
            source, content = WRITTEN, data["body"]
        template = template_create(
            cooperative=access.cooperative,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            source=source,
            content=content,
            offered_below=data.get("offered_below", False),
            by=request.user,
        )
        messages.success(request, _("The template is saved. Check the questions its fields will ask."))
        return redirect("modeles:edit", template.code)
    return render(request, template_name, _context(access, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def template_upload(request: HttpRequest, code: str) -> HttpResponse:
    """An animateur uploads a Word or LibreOffice document with ``{{ fields }}``."""
    return _create(request, code, UploadForm, "modeles/upload.html")


@login_required
@require_http_methods(["GET", "POST"])
def template_write(request: HttpRequest, code: str) -> HttpResponse:
    """An animateur writes a template in the app."""
    return _create(request, code, WriteForm, "modeles/write.html")


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def template_fill(request: HttpRequest, code: str) -> HttpResponse:
    """A member fills the template's form and downloads the PDF or the editable file.

    The answers only go into the file sent back (generated in the request: a few hundred
    milliseconds for a letter); they are kept only if the member ticks "keep my answers", and
    forgotten as soon as they untick it or press "forget".
    """
    return _fill_page(request, get_template_for(request, code, need="read"))


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def offered_fill(request: HttpRequest, coop_code: str, code: str) -> HttpResponse:
    """The same, for a template offered to this cooperative by a structure above it."""
    coop = get_cooperative_for(request, coop_code, need="read")
    return _fill_page(request, offered_template_access(coop, code, need="read"))


@login_required
@require_GET
def template_open(request: HttpRequest, code: str) -> HttpResponse:
    """Where a search result leads: the template's form in a cooperative of the viewer that may
    fill it in (its own, or one below it that it is offered to)."""
    found = template_open_for(request, code)
    if found.offered:
        return redirect("modeles:offered_fill", found.cooperative.cooperative.code, found.template.code)
    return redirect("modeles:fill", found.template.code)


def _fill_page(request: HttpRequest, access: TemplateAccess) -> HttpResponse:
    template = access.template
    saved = SavedAnswers.objects.filter(template=template, user=request.user).first()
    if request.method == "POST" and request.POST.get("forget"):
        answers_forget(template=template, user=request.user)
        messages.success(request, _("Your answers are forgotten."))
        return redirect(request.path)
    form = FillForm(request.POST or None, template=template, saved=saved.values if saved else None)
    error = None
    if request.method == "POST" and form.is_valid():
        wanted = request.POST.get("format", "pdf")
        if wanted not in ("pdf", *template.formats):
            wanted = "pdf"
        try:
            filled = _fill(template, form.values(), wanted)
        except DocumentError as failure:
            error = failure.message
        else:
            if form.cleaned_data["keep"]:
                answers_keep(template=template, user=request.user, values=form.answers())
            elif saved:
                answers_forget(template=template, user=request.user)
            content = filled.pdf if wanted == "pdf" else filled.files[wanted]
            return _download(content, name=template.name, extension=wanted)
    return render(request, "modeles/fill.html", _fill_context(access, form=form, error=error, saved=saved))


def _fill(template, values: dict[str, str], wanted: str):
    content = template.body_html if template.is_written else _source_bytes(template)
    return fill(template.source, content, values, title=template.name, formats={wanted})


def _source_bytes(template) -> bytes:
    try:
        with template.file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError, OSError):
        raise DocumentError(
            _("The document of this template is missing. Ask a facilitator to upload it again.")
        ) from None


def _fill_context(access: TemplateAccess, **extra) -> dict:
    return _context(access.cooperative, template=access.template, template_access=access, **extra)


@login_required
@require_GET
def template_preview(request: HttpRequest, code: str) -> HttpResponse:
    """The PDF filled with sample values (each field's question in brackets), for the animateurs."""
    access = get_template_for(request, code, need="edit")
    template = access.template
    try:
        filled = _fill(template, sample_values(template.field_list), "pdf")
    except DocumentError as failure:
        messages.error(request, failure.message)
        return redirect("modeles:edit", template.code)
    response = _download(filled.pdf, name=template.name, extension="pdf")
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    return response


@login_required
@require_GET
def template_source(request: HttpRequest, code: str) -> HttpResponse:
    """The uploaded model itself (blank, with its fields), for members who would rather fill it by hand."""
    access = get_template_for(request, code, need="read")
    response = protected_file(request, access.template.file, max_age=0)
    filename = (slugify(access.template.name) or "modele") + "." + access.template.source
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_template_for(request, code, need="edit")
    template = access.template
    form = EditForm(request.POST or None, request.FILES or None, template=template)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template_update(
            template=template,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            fields=form.labelled_fields(),
            content=form.content,
            offered_below=data.get("offered_below"),
            by=request.user,
        )
        messages.success(request, _("The template is saved."))
        return redirect("modeles:edit", template.code)
    return render(request, "modeles/edit.html", _fill_context(access, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def template_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_template_for(request, code, need="delete")
    template = access.template
    if request.method == "POST":
        coop_code = template.cooperative.code
        services.template_delete(template=template, by=request.user)
        messages.success(request, _("The template is deleted."))
        return redirect("modeles:home", coop_code)
    return render(request, "modeles/delete.html", _fill_context(access))
