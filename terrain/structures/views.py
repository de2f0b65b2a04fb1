"""Pages of the structures, for their members and above all their officials.

Every view goes through ``get_structure_for`` first: a structure one may not
see is a 404. Managing (members, mandates, sub-structures) needs a mandate in
the structure or above it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.selectors import members_of, membership_of
from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text, personal_data
from terrain.structures.access import StructureAccess, get_structure_for
from terrain.structures.forms import MemberAddForm, OfficialAddForm, StructureChildForm, StructureForm
from terrain.structures.models import OfficialRole
from terrain.structures.selectors import (
    ancestors_for,
    children_visible_to,
    kinds_allowed_under,
    official_held,
    official_roles_by_user,
    officials_of,
    structure_tree_of,
)
from terrain.structures.services import (
    official_appoint_member,
    official_remove,
    structure_create_child,
    structure_member_add_by_email,
    structure_member_remove,
    structure_update,
)

MEMBERS_PAGE_SIZE = 50


def header_context(request: HttpRequest, access: StructureAccess, tab: str = "") -> dict:
    """What ``structures/_header.html`` needs: the pages of a structure, and of the tools under its tabs."""
    return {
        "access": access,
        "structure": access.structure,
        "tab": tab,
        "nav": "structures",
        "ancestors": ancestors_for(access.structure, request.user),
    }


@personal_data
@login_required
@require_GET
def structure_list(request: HttpRequest) -> HttpResponse:
    """My structures; under those where I hold a mandate, everything below them."""
    return render(request, "structures/list.html", {"tree": structure_tree_of(request.user), "nav": "structures"})


@personal_data
@login_required
@require_GET
def structure_detail(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code)
    context = header_context(request, access, "about")
    context.update(
        {
            "officials": list(officials_of(access.structure)),
            "children": list(children_visible_to(access, request.user)),
            "can_create_child": access.can_manage and bool(kinds_allowed_under(access.structure)),
        }
    )
    return render(request, "structures/detail.html", context)


# --- Members ---------------------------------------------------------------------------


def _render_members(request: HttpRequest, access: StructureAccess, *, add_form: MemberAddForm | None = None):
    structure = access.structure
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(members_of(structure.cooperative, q), MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    # Union membership is special-category data: every look at the list is recorded.
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.VIEW_MEMBERS,
        target=structure,
        detail={"page": page.number, "q": q} if q else {"page": page.number},
    )
    mandates = official_roles_by_user(structure)
    page.object_list = list(page.object_list)
    for membership in page.object_list:
        membership.mandates = mandates.get(membership.user_id, [])
    context = header_context(request, access, "members")
    context.update({"page": page, "q": q, "add_form": add_form or MemberAddForm()})
    return render(request, "structures/members.html", context)


@personal_data
@login_required
@require_GET
def structure_members(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    return _render_members(request, access)


@personal_data
@login_required
@require_POST
def structure_member_add_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    form = MemberAddForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"].lower()
        try:
            structure_member_add_by_email(structure=access.structure, email=email, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # The same words whether or not the address has an account: adding someone
            # must not tell whether they use the platform.
            messages.success(
                request,
                _("An invitation has been sent to %(email)s. The person joins once they accept it.") % {"email": email},
            )
            return redirect("structures:members", access.structure.code)
    return _render_members(request, access, add_form=form)


@personal_data
@login_required
@require_POST
def structure_member_remove_view(request: HttpRequest, code: str, user_code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    if not looks_like_code(user_code):
        raise Http404
    membership = membership_of(access.structure.cooperative, user_code)
    if membership is None:
        raise Http404
    try:
        structure_member_remove(structure=access.structure, user=membership.user, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("%(name)s is no longer a member of the structure.") % {"name": membership.user.display_name}
        )
    return redirect("structures:members", access.structure.code)


# --- Sub-structures and settings -------------------------------------------------------


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def structure_create_child_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    parent = access.structure
    context = header_context(request, access)
    if not kinds_allowed_under(parent):
        return render(request, "structures/create_child.html", context)
    form = StructureChildForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = structure_create_child(
                parent=parent,
                by=request.user,
                kind=data["kind"],
                name=data["name"],
                departement=data["departement"],
                commune=data["commune"],
                description=data["description"],
                official_email=data["official_email"],
                official_role=data["official_role"] or OfficialRole.SECRETAIRE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” is created.") % {"name": created.structure.name})
            if created.invitation is not None:
                messages.success(
                    request,
                    _("An invitation has been sent to %(email)s: they will hold the mandate once they accept it.")
                    % {"email": created.invitation.email},
                )
            return redirect("structures:detail", created.structure.code)
    context["form"] = form
    return render(request, "structures/create_child.html", context)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def structure_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    structure = access.structure
    initial = {
        "name": structure.name,
        "departement": structure.departement,
        "commune": structure.commune,
        "description": structure.description,
    }
    form = StructureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            structure_update(structure=structure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            structure.refresh_from_db()
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("structures:detail", structure.code)
    context = header_context(request, access, "edit")
    context["form"] = form
    return render(request, "structures/edit.html", context)


# --- Mandates --------------------------------------------------------------------------


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def official_add_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    form = OfficialAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            official = official_appoint_member(
                structure=access.structure,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s now holds the mandate: %(role)s.")
                % {"name": official.user.display_name, "role": official.get_role_display()},
            )
            return redirect("structures:detail", access.structure.code)
    context = header_context(request, access)
    context["form"] = form
    return render(request, "structures/official_add.html", context)


@personal_data
@login_required
@require_POST
def official_remove_view(request: HttpRequest, code: str, user_code: str, role: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    if not looks_like_code(user_code) or role not in OfficialRole.values:
        raise Http404
    official = official_held(access.structure, user_code=user_code, role=role)
    if official is None:
        raise Http404
    try:
        official_remove(official=official, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("%(name)s no longer holds the mandate of %(role)s.")
            % {"name": official.user.display_name, "role": official.get_role_display()},
        )
    return redirect("structures:detail", access.structure.code)
