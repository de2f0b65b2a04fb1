"""Pages of the cooperatives: list and discover, create, a cooperative's page, members, settings.

Every view goes through ``get_cooperative_for`` first and writes through a
service; actions are POST-only and redirect with a message.
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

from terrain.cooperatives.access import CooperativeAccess, get_cooperative_for
from terrain.cooperatives.forms import (
    CooperativeEditForm,
    CooperativeForm,
    DecideForm,
    InviteForm,
    JoinRequestForm,
    RoleForm,
    ToolsForm,
)
from terrain.cooperatives.models import JoinRequest, Membership
from terrain.cooperatives.selectors import (
    cooperatives_of,
    cooperatives_to_discover,
    invitation_waiting_for,
    members_of,
    membership_of,
    pending_request_of,
    pending_requests,
)
from terrain.cooperatives.services import (
    cooperative_archive,
    cooperative_create_open,
    cooperative_invite,
    cooperative_join,
    cooperative_leave,
    cooperative_set_tools,
    cooperative_update,
    join_request_create,
    join_request_decide,
    join_request_withdraw,
    membership_remove,
    membership_set_role,
)
from terrain.core.models import AuditEntry
from terrain.core.services import audit_record
from terrain.lib.codes import looks_like_code
from terrain.lib.http import error_text, personal_data, protected_file
from terrain.news.selectors import cooperative_stream

DISCOVER_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 50


def _search_term(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]


# --- Lists -----------------------------------------------------------------------------


@login_required
@require_GET
def cooperative_list(request: HttpRequest) -> HttpResponse:
    """My cooperatives, and the open ones I could join (never anyone's private ones)."""
    q = _search_term(request)
    discover = Paginator(cooperatives_to_discover(request.user, q), DISCOVER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"discover": discover, "q": q, "nav": "cooperatives"}
    if request.htmx and request.htmx.target == "discover":
        return render(request, "cooperatives/_discover.html", context)
    context["memberships"] = list(cooperatives_of(request.user))
    return render(request, "cooperatives/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_create(request: HttpRequest) -> HttpResponse:
    form = CooperativeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cooperative = cooperative_create_open(
                name=data["name"].strip(),
                by=request.user,
                description=data["description"].strip(),
                join_policy=data["join_policy"],
                image=data["image"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your cooperative is ready. Invite people to join it!"))
            return redirect("cooperatives:detail", cooperative.code)
    return render(request, "cooperatives/create.html", {"form": form, "nav": "cooperatives"})


# --- A cooperative's page ----------------------------------------------------------------


def _base_context(access: CooperativeAccess, tab: str) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": tab, "nav": "cooperatives"}


def _render_detail(
    request: HttpRequest, access: CooperativeAccess, *, request_form: JoinRequestForm | None = None
) -> HttpResponse:
    context = _base_context(access, "news")
    if access.can_read and access.cooperative.tool_on("news"):
        context["stream"] = cooperative_stream(access=access, before=request.GET.get("avant"))
    else:
        context["pending_request"] = pending_request_of(access.cooperative, request.user)
        context["invitation"] = invitation_waiting_for(access.cooperative, request.user)
        context["request_form"] = request_form or JoinRequestForm()
    return render(request, "cooperatives/detail.html", context)


@login_required
@require_GET
def cooperative_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Members see the news; others (open cooperatives only) see how to join."""
    access = get_cooperative_for(request, code, need="see")
    return _render_detail(request, access)


def _render_members(
    request: HttpRequest, access: CooperativeAccess, *, invite_form: InviteForm | None = None
) -> HttpResponse:
    cooperative = access.cooperative
    q = _search_term(request)
    page = Paginator(members_of(cooperative, q), MEMBERS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = _base_context(access, "members")
    context.update({"page": page, "q": q})
    if access.can_animate:
        # Who belongs to a union is sensitive: every look by a facilitator is recorded.
        audit_record(
            actor=request.user,
            action=AuditEntry.Action.VIEW_MEMBERS,
            target=cooperative,
            detail={"page": page.number, "q": q} if q else {"page": page.number},
        )
        context["requests"] = list(pending_requests(cooperative))
        context["invite_form"] = invite_form or InviteForm()
        context["role_choices"] = Membership.Role.choices
    return render(request, "cooperatives/members.html", context)


@personal_data
@login_required
@require_GET
def cooperative_members(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="read")
    return _render_members(request, access)


@login_required
@require_GET
def cooperative_image(request: HttpRequest, code: str) -> HttpResponse:
    """The picture of a cooperative, for whoever may see the cooperative."""
    access = get_cooperative_for(request, code, need="see")
    # ``?w=``: a smaller copy, for ``srcset`` (``cooperatives/_coop_image.html``).
    return protected_file(request, access.cooperative.image, max_age=86400, width=request.GET.get("w"))


# --- Joining and leaving ---------------------------------------------------------------


@login_required
@require_POST
def cooperative_join_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="see")
    try:
        cooperative_join(cooperative=access.cooperative, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Welcome! You are now a member of this cooperative."))
    return redirect("cooperatives:detail", access.cooperative.code)


@login_required
@require_POST
def join_request_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="see")
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, access, request_form=form)
    try:
        join_request_create(cooperative=access.cooperative, user=request.user, message=form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your request has been sent. You will be told as soon as a facilitator answers."))
    return redirect("cooperatives:detail", access.cooperative.code)


@login_required
@require_POST
def join_request_withdraw_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="see")
    join_request = pending_request_of(access.cooperative, request.user)
    if join_request is None:
        messages.error(request, _("You have no request waiting for this cooperative."))
    else:
        try:
            join_request_withdraw(join_request=join_request, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your request has been withdrawn."))
    return redirect("cooperatives:detail", access.cooperative.code)


@login_required
@require_POST
def join_request_decide_view(request: HttpRequest, code: str, request_code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    if not looks_like_code(request_code):
        raise Http404
    join_request = (
        JoinRequest.objects.select_related("user").filter(cooperative=access.cooperative, code=request_code).first()
    )
    if join_request is None:
        raise Http404
    form = DecideForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose to accept or decline.")
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            join_request = join_request_decide(join_request=join_request, by=request.user, approve=approve)
        except ValidationError as exc:
            error = error_text(exc)
    if request.htmx:
        return render(
            request,
            "cooperatives/_join_request.html",
            {"jr": join_request, "coop": access.cooperative, "error": error},
        )
    if error:
        messages.error(request, error)
    elif join_request.status == JoinRequest.Status.APPROVED:
        messages.success(request, _("%(name)s is now a member.") % {"name": join_request.user.display_name})
    else:
        messages.success(request, _("The request has been declined; the person has been told."))
    return redirect("cooperatives:members", access.cooperative.code)


@login_required
@require_POST
def cooperative_leave_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="read")
    try:
        cooperative_leave(cooperative=access.cooperative, user=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("cooperatives:detail", access.cooperative.code)
    messages.success(request, _("You have left “%(name)s”.") % {"name": access.cooperative.name})
    return redirect("cooperatives:list")


# --- Facilitators: members, invitations, settings ----------------------------------------


@personal_data
@login_required
@require_POST
def cooperative_invite_view(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            cooperative_invite(
                cooperative=access.cooperative,
                email=form.cleaned_data["email"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error("email", error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"].lower()}
            )
            return redirect("cooperatives:members", access.cooperative.code)
    return _render_members(request, access, invite_form=form)


def _membership_or_404(access: CooperativeAccess, user_code: str) -> Membership:
    if not looks_like_code(user_code):
        raise Http404
    membership = membership_of(access.cooperative, user_code)
    if membership is None:
        raise Http404
    return membership


@login_required
@require_POST
def member_role_view(request: HttpRequest, code: str, user_code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    membership = _membership_or_404(access, user_code)
    form = RoleForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose a role.")
    else:
        try:
            membership_set_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
        except ValidationError as exc:
            error = error_text(exc)
            membership.refresh_from_db(fields=["role"])
    if request.htmx:
        return render(
            request,
            "cooperatives/_member.html",
            {
                "m": membership,
                "coop": access.cooperative,
                "access": access,
                "role_choices": Membership.Role.choices,
                "error": error,
                "saved": not error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is now: %(role)s.")
            % {"name": membership.user.display_name, "role": membership.get_role_display()},
        )
    return redirect("cooperatives:members", access.cooperative.code)


@login_required
@require_POST
def member_remove_view(request: HttpRequest, code: str, user_code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    membership = _membership_or_404(access, user_code)
    try:
        membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user.display_name})
    return redirect("cooperatives:members", access.cooperative.code)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    cooperative = access.cooperative
    initial = {"name": cooperative.name, "description": cooperative.description, "join_policy": cooperative.join_policy}
    form = CooperativeEditForm(request.POST or None, request.FILES or None, initial=initial, cooperative=cooperative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cooperative_update(
                cooperative=cooperative,
                by=request.user,
                name=data["name"],
                description=data["description"],
                join_policy=data["join_policy"],
                image=data["image"],
                remove_image=data.get("remove_image", False),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error("image", error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("cooperatives:detail", cooperative.code)
        cooperative.refresh_from_db()
    context = _base_context(access, "settings")
    context["form"] = form
    context["tools_form"] = ToolsForm(cooperative=cooperative)
    return render(request, "cooperatives/edit.html", context)


@login_required
@require_POST
def cooperative_tools_view(request: HttpRequest, code: str) -> HttpResponse:
    """Turn the cooperative's tools on or off (animateurs)."""
    access = get_cooperative_for(request, code, need="animate")
    form = ToolsForm(request.POST, cooperative=access.cooperative)
    if form.is_valid():
        cooperative_set_tools(cooperative=access.cooperative, by=request.user, enabled=set(form.cleaned_data["tools"]))
        messages.success(request, _("The tools are saved."))
        return redirect("cooperatives:edit", access.cooperative.code)
    context = _base_context(access, "settings")
    initial = {
        "name": access.cooperative.name,
        "description": access.cooperative.description,
        "join_policy": access.cooperative.join_policy,
    }
    context["form"] = CooperativeEditForm(initial=initial, cooperative=access.cooperative)
    context["tools_form"] = form
    return render(request, "cooperatives/edit.html", context, status=400)


def _archive(request: HttpRequest, code: str, *, archived: bool) -> HttpResponse:
    access = get_cooperative_for(request, code, need="animate")
    try:
        cooperative_archive(cooperative=access.cooperative, by=request.user, archived=archived)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if archived:
            messages.success(request, _("The cooperative is archived: it stays readable, but nobody can post."))
        else:
            messages.success(request, _("The cooperative is open again."))
    return redirect("cooperatives:detail", access.cooperative.code)


@login_required
@require_POST
def cooperative_archive_view(request: HttpRequest, code: str) -> HttpResponse:
    return _archive(request, code, archived=True)


@login_required
@require_POST
def cooperative_unarchive_view(request: HttpRequest, code: str) -> HttpResponse:
    return _archive(request, code, archived=False)
