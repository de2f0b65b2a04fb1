"""Pages of the tractothèque: a cooperative's tracts, one tract, the tracts offered to it.

Every view goes through ``access`` first and writes through a service; actions are POST-only
and redirect with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.access import CooperativeAccess
from terrain.lib.access import Need
from terrain.lib.http import error_text, protected_file
from terrain.tracts.access import TractAccess, cooperative_tracts_access, get_offer_for, get_tract_for
from terrain.tracts.forms import ReuseForm, TractFilterForm, TractForm
from terrain.tracts.models import TractOffer, TractReuse
from terrain.tracts.selectors import (
    TractFilters,
    filter_choices,
    library_files_for_tracts,
    my_reuses,
    offers_for,
    offers_waiting,
    tract_use,
    tracts_in,
)
from terrain.tracts.services import (
    structures_for_author,
    tract_create,
    tract_delete,
    tract_download_record,
    tract_offer_decide,
    tract_offers_catch_up,
    tract_publish,
    tract_reuse_record,
    tract_update,
)
from terrain.tracts.themes import theme_key
from terrain.tracts.tools import TRACTS

PAGE_SIZE = 12


def _base(access: CooperativeAccess) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": TRACTS, "nav": "cooperatives"}


def _detail_url(access: TractAccess) -> str:
    return reverse("tracts:detail", args=[access.code])


@login_required
@require_GET
def tract_list(request: HttpRequest, code: str) -> HttpResponse:
    """The tractothèque: the cooperative's tracts and those it accepted, newest first."""
    access = cooperative_tracts_access(request, code)
    themes, structures = filter_choices(access)
    form = TractFilterForm(request.GET or None, themes=themes, structures=structures)
    filters = TractFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = TractFilters(
            theme=theme_key(data["theme"] or ""), start=data["start"], end=data["end"], structure=data["structure"]
        )
    if access.can_animate:
        # A sub-structure created after a publication above is offered it now.
        tract_offers_catch_up(cooperative=access.cooperative)
    page = Paginator(tracts_in(access, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = _base(access)
    context.update(
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "filtered": filters != TractFilters(),
            "offers_waiting": offers_waiting(access) if access.can_animate else 0,
        }
    )
    return render(request, "tracts/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tract_new(request: HttpRequest, code: str) -> HttpResponse:
    """Upload a tract (or choose a library file) and say what it is."""
    access = cooperative_tracts_access(request, code, need=Need.POST)
    cooperative = access.cooperative
    structures = structures_for_author(cooperative=cooperative, user=request.user)
    form = TractForm(
        request.POST or None,
        request.FILES or None,
        files_queryset=library_files_for_tracts(cooperative),
        structures=structures,
        initial={"structure": cooperative.structure.code} if cooperative.structure_id else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tract = tract_create(
                cooperative=cooperative,
                file=data.get("existing"),
                upload=data.get("upload"),
                title=data["title"],
                description=data["description"],
                date=data["date"],
                themes=data["all_themes"],
                structure=data.get("structure"),
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The tract is in the tractothèque."))
            return redirect("tracts:detail", tract.code)
    context = _base(access)
    context["form"] = form
    return render(request, "tracts/form.html", context)


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_GET
def tract_detail(request: HttpRequest, code: str) -> HttpResponse:
    access = get_tract_for(request, code)
    context = _base(access.cooperative)
    context.update({"tract": access.tract, "tract_access": access, "offer": access.offer, "view_code": access.code})
    if access.can_post:
        context["reuse_form"] = ReuseForm()
        context["my_reuses"] = [
            (label, n)
            for kind, label in TractReuse.Kind.choices
            if (n := my_reuses(access.tract, cooperative=access.cooperative.cooperative).get(kind))
        ]
    if access.can_manage:
        context["use"] = tract_use(access.tract)
    return render(request, "tracts/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tract_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_tract_for(request, code, need=Need.EDIT)
    cooperative = access.cooperative.cooperative
    structures = structures_for_author(cooperative=cooperative, user=request.user)
    if access.tract.structure_id and access.tract.structure not in structures:
        structures.append(access.tract.structure)
    form = TractForm(
        request.POST or None, structures=structures, editing=True, initial=TractForm.initial_for(access.tract)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tract_update(
                tract=access.tract,
                title=data["title"],
                description=data["description"],
                date=data["date"],
                themes=data["all_themes"],
                structure=data.get("structure"),
                by=request.user,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The tract is saved."))
            return redirect(_detail_url(access))
    context = _base(access.cooperative)
    context.update({"form": form, "tract": access.tract, "view_code": access.code})
    return render(request, "tracts/form.html", context)


@login_required
@require_POST
def tract_remove(request: HttpRequest, code: str) -> HttpResponse:
    access = get_tract_for(request, code, need=Need.DELETE)
    tract_delete(tract=access.tract, by=request.user)
    messages.success(request, _("The tract is removed from every tractothèque. Its file stays in the library."))
    return redirect("tracts:home", access.cooperative.cooperative.code)


@login_required
@require_GET
def tract_download(request: HttpRequest, code: str) -> HttpResponse:
    """The tract's file, counted as a download by this cooperative."""
    access = get_tract_for(request, code)
    version = access.tract.file.current_version
    if version is None:
        raise Http404
    response = protected_file(request, version.blob, max_age=3600)
    if response.status_code == 200:
        tract_download_record(tract=access.tract, cooperative=access.cooperative.cooperative, by=request.user)
        response["Content-Disposition"] = f'attachment; filename="{_download_name(version)}"'
    return response


def _download_name(version) -> str:
    name = version.original_name or "tract"
    return "".join(c if c.isalnum() or c in "._- " else "_" for c in name)[:120]


@login_required
@require_GET
def tract_preview(request: HttpRequest, code: str) -> HttpResponse:
    """The thumbnail the library made of the tract's file (an image, or a PDF's first page)."""
    access = get_tract_for(request, code)
    version = access.tract.file.current_version
    if version is None or not version.preview:
        raise Http404
    return protected_file(request, version.preview, max_age=86400)


@login_required
@require_POST
def tract_publish_view(request: HttpRequest, code: str) -> HttpResponse:
    """Offer the tract to the cooperatives of every sub-structure."""
    access = get_tract_for(request, code, need=Need.MANAGE)
    try:
        offers = tract_publish(tract=access.tract, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if offers:
            messages.success(
                request,
                _("The tract is offered to %(count)d cooperatives of the sub-structures.") % {"count": len(offers)},
            )
        else:
            messages.info(request, _("Every sub-structure has already been offered this tract."))
    return redirect(_detail_url(access))


@login_required
@require_GET
def offer_list(request: HttpRequest, code: str) -> HttpResponse:
    """« Tracts proposés »: what the structures above offer, for the facilitators to decide."""
    access = cooperative_tracts_access(request, code, need=Need.ANIMATE)
    tract_offers_catch_up(cooperative=access.cooperative)
    offers = offers_for(access)
    context = _base(access)
    context.update(
        {
            "waiting": [o for o in offers if o.status == TractOffer.Status.OFFERED],
            "decided": [o for o in offers if o.status != TractOffer.Status.OFFERED],
        }
    )
    return render(request, "tracts/offers.html", context)


@login_required
@require_POST
def offer_decide(request: HttpRequest, code: str) -> HttpResponse:
    access = get_offer_for(request, code)
    coop_code = access.cooperative.cooperative.code
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or to decline the tract."))
        return redirect("tracts:offers", coop_code)
    accept = decision == "accept"
    tract_offer_decide(offer=access.offer, accept=accept, by=request.user)
    if accept:
        messages.success(request, _("The tract is now in your tractothèque."))
        return redirect(_detail_url(access))
    messages.success(request, _("The tract is declined. You can still accept it later."))
    return redirect("tracts:offers", coop_code)


@login_required
@require_POST
def tract_reuse(request: HttpRequest, code: str) -> HttpResponse:
    """« Je l'ai réutilisé »: the cooperative used the tract (counted, never shown by name)."""
    access = get_tract_for(request, code, need=Need.POST)
    form = ReuseForm(request.POST)
    if form.is_valid():
        tract_reuse_record(
            tract=access.tract,
            cooperative=access.cooperative.cooperative,
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(request, _("Thank you: the structure that made it will know the tract was useful."))
    else:
        messages.error(request, _("Choose what you did with the tract."))
    return redirect(_detail_url(access))
