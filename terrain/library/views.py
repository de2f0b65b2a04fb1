"""The library's pages: folders, uploads, a file with its versions, downloads, the photothèque."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.access import CooperativeAccess, get_cooperative_for
from terrain.lib.access import Need
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text, protected_file
from terrain.library import selectors, services
from terrain.library.access import get_file_for, get_folder_for, get_version_for
from terrain.library.checks import accepted_extensions, max_upload_bytes
from terrain.library.forms import FileEditForm, FolderForm, PhotoForm, UploadForm, VersionForm
from terrain.library.models import File, Folder
from terrain.library.tools import LIBRARY

# Files shown per page of a folder (its subfolders are all shown on each page).
FOLDER_PAGE_SIZE = 60


def _context(access: CooperativeAccess, **more) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": LIBRARY, "nav": "cooperatives", **more}


def _render_folder(
    request,
    access: CooperativeAccess,
    folder: Folder | None,
    *,
    upload_form=None,
    folder_form=None,
    results=None,
    status=200,
) -> HttpResponse:
    folders, files = selectors.folder_contents(cooperative=access.cooperative, folder=folder)
    page = Paginator(files, FOLDER_PAGE_SIZE).get_page(request.GET.get("page"))
    files = list(page)
    context = _context(
        access,
        folder=folder,
        path=selectors.folder_path(folder),
        folders=folders,
        page=page,
        files=files,
        images=[f for f in files if f.kind == File.Kind.IMAGE],
        others=[f for f in files if f.kind != File.Kind.IMAGE],
        upload_form=upload_form or UploadForm(),
        folder_form=folder_form or FolderForm(),
        results=results,
        max_mb=max_upload_bytes() // 1024 // 1024,
        extensions=", ".join(accepted_extensions()),
        upload_url=reverse("library:upload", args=[access.cooperative.code]),
    )
    return render(request, "library/folder.html", context, status=status)


@login_required
@require_GET
def home(request: HttpRequest, code: str) -> HttpResponse:
    """The top of a cooperative's library."""
    access = get_cooperative_for(request, code, need=Need.READ).require_tool(LIBRARY)
    return _render_folder(request, access, None)


@login_required
@require_GET
def folder(request: HttpRequest, code: str) -> HttpResponse:
    access = get_folder_for(request, code)
    return _render_folder(request, access.cooperative, access.folder)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """One or several files. Without JavaScript: one POST, then the page lists each file's fate.
    With ``library-upload.js``: one file per request, answered in JSON (its progress bar)."""
    access = get_cooperative_for(request, code, need=Need.POST).require_tool(LIBRARY)
    folder = None
    folder_code = request.POST.get("dossier", "")
    if folder_code:
        if not looks_like_code(folder_code):
            raise Http404
        folder = get_folder_for(request, folder_code, need=Need.EDIT).folder
        if folder.cooperative_id != access.cooperative.pk:
            raise Http404
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": " ".join(form.errors.get("files", []))}, status=400)
        return _render_folder(request, access, folder, upload_form=form, status=400)
    results = services.files_upload(
        cooperative=access.cooperative, folder=folder, uploads=form.cleaned_data["files"], by=request.user
    )
    if _wants_json(request):
        result = results[0]
        if result.file is None:
            return JsonResponse({"ok": False, "name": result.name, "error": result.error}, status=400)
        return JsonResponse({"ok": True, "name": result.name, "url": reverse("library:file", args=[result.file.code])})
    return _render_folder(request, access, folder, results=results)


@login_required
@require_POST
def folder_create(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need=Need.POST).require_tool(LIBRARY)
    parent = None
    parent_code = request.POST.get("dossier", "")
    if parent_code:
        parent = get_folder_for(request, parent_code, need=Need.EDIT).folder
        if parent.cooperative_id != access.cooperative.pk:
            raise Http404
    form = FolderForm(request.POST)
    if form.is_valid():
        try:
            created = services.folder_create(
                cooperative=access.cooperative, parent=parent, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            form.add_error("name", error_text(error))
        else:
            messages.success(request, _("Folder “%(name)s” created.") % {"name": created.name})
            return redirect("library:folder", created.code)
    return _render_folder(request, access, parent, folder_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def folder_rename(request: HttpRequest, code: str) -> HttpResponse:
    access = get_folder_for(request, code, need=Need.EDIT)
    form = FolderForm(request.POST or None, initial={"name": access.folder.name})
    if request.method == "POST" and form.is_valid():
        services.folder_rename(folder=access.folder, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("Folder renamed."))
        return redirect("library:folder", access.folder.code)
    return render(request, "library/folder_rename.html", _context(access.cooperative, folder=access.folder, form=form))


@login_required
@require_POST
def folder_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_folder_for(request, code, need=Need.DELETE)
    folder = access.folder
    try:
        services.folder_delete(folder=folder, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("library:folder", folder.code)
    messages.success(request, _("Folder “%(name)s” deleted.") % {"name": folder.name})
    if folder.parent_id:
        return redirect("library:folder", folder.parent.code)
    return redirect("library:home", folder.cooperative.code)


def _render_file(request, access, *, version_form=None, edit_form=None, status=200) -> HttpResponse:
    file = access.file
    folders = selectors.folders_of(access.cooperative.cooperative)
    context = _context(
        access.cooperative,
        file=file,
        file_access=access,
        versions=selectors.versions_of(file),
        path=selectors.folder_path(file.folder),
        version_form=version_form or VersionForm(),
        edit_form=edit_form
        or FileEditForm(
            initial={"name": file.name, "folder": file.folder.code if file.folder else ""}, folders=folders
        ),
        share_refusal=selectors.photo_share_refusal(file),
    )
    return render(request, "library/file.html", context, status=status)


@login_required
@require_GET
def file_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_file(request, get_file_for(request, code))


@login_required
@require_POST
def file_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_file_for(request, code, need=Need.EDIT)
    form = FileEditForm(request.POST, folders=selectors.folders_of(access.file.cooperative))
    if form.is_valid():
        try:
            services.file_rename(
                file=access.file, name=form.cleaned_data["name"], folder=form.cleaned_data["folder"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("library:file", access.file.code)
    return _render_file(request, access, edit_form=form, status=400)


@login_required
@require_POST
def version_add(request: HttpRequest, code: str) -> HttpResponse:
    access = get_file_for(request, code, need=Need.EDIT)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.file_add_version(file=access.file, upload=form.cleaned_data["upload"], by=request.user)
        except ValidationError as error:
            form.add_error("upload", error_text(error))
        else:
            messages.success(request, _("New version saved."))
            return redirect("library:file", access.file.code)
    return _render_file(request, access, version_form=form, status=400)


@login_required
@require_POST
def version_restore(request: HttpRequest, code: str) -> HttpResponse:
    version, access = get_version_for(request, code, need=Need.EDIT)
    restored = services.version_restore(version=version, by=request.user)
    messages.success(
        request, _("Version %(old)s restored as version %(new)s.") % {"old": version.number, "new": restored.number}
    )
    return redirect("library:file", access.file.code)


def _download(request, access, version) -> HttpResponse:
    response = protected_file(request, version.blob, max_age=0)
    response["Content-Type"] = version.mime_type
    if response.status_code == 200:
        # Counted once per whole download (a resumed one asks for the rest: a 206, not counted).
        services.download_record(file=access.file, version=version, user=request.user)
    if response.status_code in (200, 206):
        extension = version.blob.name.rsplit(".", 1)[-1]
        name = (
            access.file.name
            if access.file.name.lower().endswith(f".{extension}")
            else f"{access.file.name}.{extension}"
        )
        response.headers["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=name)


@login_required
@require_GET
def download(request: HttpRequest, code: str) -> HttpResponse:
    """The current version of a file, as an attachment; counted."""
    access = get_file_for(request, code)
    if access.file.current_version is None:
        raise Http404
    return _download(request, access, access.file.current_version)


@login_required
@require_GET
def version_download(request: HttpRequest, code: str) -> HttpResponse:
    version, access = get_version_for(request, code)
    return _download(request, access, version)


@login_required
@require_GET
def preview(request: HttpRequest, code: str) -> HttpResponse:
    """The thumbnail of a file's current version (an image, a PDF's first page)."""
    access = get_file_for(request, code)
    version = access.file.current_version
    if version is None or not version.preview:
        raise Http404
    response = protected_file(request, version.preview, max_age=3600)
    response["Content-Type"] = "image/webp"
    return response


@login_required
@require_GET
def media(request: HttpRequest, code: str) -> HttpResponse:
    """An image, a sound or a video of the library shown in its page (inline; never a document)."""
    access = get_file_for(request, code)
    version = access.file.current_version
    if version is None or access.file.kind == File.Kind.DOCUMENT:
        raise Http404
    response = protected_file(request, version.blob, max_age=3600)
    response["Content-Type"] = version.mime_type
    return response


@login_required
@require_POST
def file_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_file_for(request, code, need=Need.DELETE)
    folder = access.file.folder
    services.file_delete(file=access.file, by=request.user)
    messages.success(request, _("“%(name)s” was deleted.") % {"name": access.file.name})
    if folder is not None:
        return redirect("library:folder", folder.code)
    return redirect("library:home", access.file.cooperative.code)


@login_required
@require_GET
def photos(request: HttpRequest, code: str) -> HttpResponse:
    """The photothèque: the cooperative's images with their credit, date, place and consent."""
    access = get_cooperative_for(request, code, need=Need.READ).require_tool(LIBRARY)
    return render(
        request, "library/photos.html", _context(access, photos=selectors.photos_of(cooperative=access.cooperative))
    )


@login_required
@require_http_methods(["GET", "POST"])
def photo_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_file_for(request, code, need=Need.EDIT)
    file = access.file
    if file.kind != File.Kind.IMAGE:
        raise Http404
    initial = {
        "credit": file.credit,
        "taken_on": file.taken_on,
        "place": file.place,
        "identifiable_people": file.identifiable_people,
        "consent": file.consent,
    }
    form = PhotoForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_update(file=file, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Photo details saved."))
            return redirect("library:file", file.code)
    status = 400 if request.method == "POST" else 200
    return render(request, "library/photo_edit.html", _context(access.cooperative, file=file, form=form), status=status)
