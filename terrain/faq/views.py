"""Pages of the FAQ: the themes and their questions, an entry, curation by the facilitators,
questions proposed by members. Every view goes through an access helper of ``faq.access`` and
writes through ``faq.services``; actions are POST-only and redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.access import CooperativeAccess
from terrain.faq import services
from terrain.faq.access import (
    entry_open_for,
    entry_read_in,
    faq_access_for,
    get_entry_for,
    get_proposal_for,
    get_theme_for,
)
from terrain.faq.forms import DeclineForm, EntryForm, ProposalForm, ThemeForm
from terrain.faq.selectors import offered_groups, pending_proposals, proposals_of, themes_with_entries
from terrain.lib.access import Need
from terrain.lib.http import personal_data


def _context(access: CooperativeAccess, **extra) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": "faq", "nav": "cooperatives", **extra}


def _refuse_if_archived(cooperative) -> None:
    """An archived cooperative stays readable; nothing is written in it."""
    if cooperative.is_archived:
        raise PermissionDenied


def _step(request: HttpRequest) -> int:
    return -1 if request.POST.get("step") == "up" else 1


# --- Reading ---------------------------------------------------------------------------


@login_required
@require_GET
def faq_home(request: HttpRequest, code: str) -> HttpResponse:
    """The FAQ: a table of contents by theme, then each theme's questions (open one to read it),
    then the questions offered by the structures above."""
    access = faq_access_for(request, code)
    coop = access.cooperative
    context = _context(
        access,
        themes=themes_with_entries(coop),
        offered=offered_groups(coop),
        mine=list(proposals_of(coop, request.user)),
    )
    if access.can_animate:
        context["pending_count"] = pending_proposals(coop).count()
    return render(request, "faq/home.html", context)


@login_required
@require_GET
def entry_detail(request: HttpRequest, code: str, entry: str) -> HttpResponse:
    """An entry's permanent page."""
    found = entry_read_in(request, faq_access_for(request, code), entry)
    return render(request, "faq/entry.html", _context(found.cooperative, entry=found.entry, entry_access=found))


@login_required
@require_GET
def entry_open(request: HttpRequest, code: str) -> HttpResponse:
    """Where a search result leads: the entry's page in a cooperative of the viewer that reads it
    (its own, or one below it that it is offered to)."""
    found = entry_open_for(request, code)
    return redirect("faq:entry", found.cooperative.cooperative.code, found.entry.code)


# --- Curating entries ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, code: str) -> HttpResponse:
    access = faq_access_for(request, code, need=Need.ANIMATE)
    coop = access.cooperative
    _refuse_if_archived(coop)
    if not coop.faq_themes.exists():
        messages.info(request, _("Create a theme first: every question belongs to one."))
        return redirect("faq:themes", coop.code)
    # ?theme=<code>: the "add a question" link of a theme starts in that theme.
    theme = coop.faq_themes.filter(code=request.GET.get("theme", "")).first()
    form = EntryForm(request.POST or None, cooperative=coop, initial={"theme": theme.pk if theme else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.faq_entry_create(
            cooperative=coop,
            theme=data["theme"],
            question=data["question"],
            answer_html=data["answer"],
            by=request.user,
        )
        messages.success(request, _("The question is in the FAQ."))
        return redirect("faq:entry", coop.code, entry.code)
    return render(request, "faq/entry_form.html", _context(access, form=form, entry=None))


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit an entry. Two facilitators on the same entry: the second save is refused (409), their
    text kept in the form and the stored version shown beside it."""
    found = get_entry_for(request, code, need=Need.EDIT)
    item = found.entry
    coop = item.cooperative
    conflict = None
    if request.method == "POST":
        form = EntryForm(request.POST, cooperative=coop)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_update(
                    entry=item,
                    version=data["version"] or 0,
                    question=data["question"],
                    answer_html=data["answer"],
                    theme=data["theme"],
                    by=request.user,
                )
            except services.EntryConflict as error:
                conflict = error.current
                # Sent again as it is, the form saves over the version now shown: a choice made knowingly.
                form = EntryForm(
                    {**request.POST.dict(), "version": conflict.version}, cooperative=coop, initial=form.initial
                )
                form.is_valid()
            else:
                messages.success(request, _("The question is saved."))
                return redirect("faq:entry", coop.code, item.code)
    else:
        form = EntryForm(
            cooperative=coop,
            initial={
                "question": item.question,
                "answer": item.answer_html,
                "theme": item.theme_id,
                "version": item.version,
            },
        )
    context = _context(found.cooperative, form=form, entry=item, conflict=conflict)
    return render(request, "faq/entry_form.html", context, status=409 if conflict else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, code: str) -> HttpResponse:
    found = get_entry_for(request, code, need=Need.DELETE)
    if request.method == "POST":
        services.entry_delete(entry=found.entry, by=request.user)
        messages.success(request, _("The question was removed from the FAQ."))
        return redirect("faq:home", found.entry.cooperative.code)
    return render(request, "faq/entry_delete.html", _context(found.cooperative, entry=found.entry))


@login_required
@require_POST
def entry_move(request: HttpRequest, code: str) -> HttpResponse:
    found = get_entry_for(request, code, need=Need.EDIT)
    services.entry_move(entry=found.entry, step=_step(request), by=request.user)
    return redirect(f"{_home(found.entry.cooperative.code)}#theme-{found.entry.theme.code}")


@login_required
@require_POST
def entry_offer(request: HttpRequest, code: str) -> HttpResponse:
    """Offer the entry to the cooperatives of the structures below (or take it back)."""
    found = get_entry_for(request, code, need=Need.EDIT)
    if not found.can_offer:
        messages.error(request, _("Only a structure's cooperative can offer questions below it."))
        return redirect("faq:entry", found.entry.cooperative.code, found.entry.code)
    offered = request.POST.get("offered") == "1"
    services.entry_offer(entry=found.entry, offered=offered, by=request.user)
    if offered:
        messages.success(request, _("The structures below can now read this question in their FAQ."))
    else:
        messages.success(request, _("The structures below no longer see this question."))
    return redirect("faq:entry", found.entry.cooperative.code, found.entry.code)


@login_required
@require_POST
def entry_hide(request: HttpRequest, code: str, entry: str) -> HttpResponse:
    """Hide an offered entry in this cooperative (or show it again)."""
    found = entry_read_in(request, faq_access_for(request, code, need=Need.ANIMATE), entry, need=Need.ANIMATE)
    if found.is_own:
        return redirect("faq:entry", code, found.entry.code)
    hidden = request.POST.get("hidden") == "1"
    services.entry_hide(entry=found.entry, cooperative=found.cooperative.cooperative, hidden=hidden, by=request.user)
    if hidden:
        messages.success(request, _("This question is hidden from the FAQ of this cooperative."))
    else:
        messages.success(request, _("This question is shown again in the FAQ of this cooperative."))
    return redirect("faq:home", code)


def _home(code: str) -> str:
    return reverse("faq:home", args=[code])


# --- Themes ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, code: str) -> HttpResponse:
    """The facilitators' list of themes: add, rename, reorder, delete; and offered entries to hide."""
    access = faq_access_for(request, code, need=Need.ANIMATE)
    coop = access.cooperative
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        _refuse_if_archived(coop)
    if request.method == "POST" and form.is_valid():
        services.theme_create(cooperative=coop, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("The theme is added."))
        return redirect("faq:themes", coop.code)
    context = _context(
        access, form=form, themes=themes_with_entries(coop), offered=offered_groups(coop, with_hidden=True)
    )
    return render(request, "faq/themes.html", context)


@login_required
@require_POST
def theme_edit(request: HttpRequest, code: str) -> HttpResponse:
    found = get_theme_for(request, code, need=Need.EDIT)
    form = ThemeForm(request.POST)
    coop_code = found.theme.cooperative.code
    if form.is_valid():
        services.theme_rename(theme=found.theme, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("The theme is renamed."))
    else:
        messages.error(request, " ".join(form.errors.get("name", [])))
    return redirect("faq:themes", coop_code)


@login_required
@require_POST
def theme_move(request: HttpRequest, code: str) -> HttpResponse:
    found = get_theme_for(request, code, need=Need.EDIT)
    services.theme_move(theme=found.theme, step=_step(request), by=request.user)
    return redirect("faq:themes", found.theme.cooperative.code)


@login_required
@require_POST
def theme_delete(request: HttpRequest, code: str) -> HttpResponse:
    found = get_theme_for(request, code, need=Need.DELETE)
    try:
        services.theme_delete(theme=found.theme, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The theme is deleted."))
    return redirect("faq:themes", found.theme.cooperative.code)


# --- Proposed questions ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, code: str) -> HttpResponse:
    """A member proposes a question to the facilitators."""
    access = faq_access_for(request, code, need=Need.POST)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.proposal_create(
            cooperative=access.cooperative,
            question=form.cleaned_data["question"],
            context=form.cleaned_data["context"],
            by=request.user,
        )
        messages.success(request, _("Thank you! The facilitators will answer your question."))
        return redirect("faq:home", code)
    return render(request, "faq/proposal_create.html", _context(access, form=form))


@login_required
@personal_data
@require_GET
def proposals(request: HttpRequest, code: str) -> HttpResponse:
    """The questions waiting for an answer (facilitators)."""
    access = faq_access_for(request, code, need=Need.ANIMATE)
    return render(
        request, "faq/proposals.html", _context(access, proposals=list(pending_proposals(access.cooperative)))
    )


@login_required
@personal_data
@require_http_methods(["GET", "POST"])
def proposal_answer(request: HttpRequest, code: str) -> HttpResponse:
    """Answer a proposed question: it becomes an entry (question reworded if needed)."""
    found = get_proposal_for(request, code, need=Need.EDIT)
    proposal = found.proposal
    coop = proposal.cooperative
    if not coop.faq_themes.exists():
        messages.info(request, _("Create a theme first: every question belongs to one."))
        return redirect("faq:themes", coop.code)
    form = EntryForm(request.POST or None, cooperative=coop, initial={"question": proposal.question})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.proposal_answer(
                proposal=proposal,
                theme=data["theme"],
                question=data["question"],
                answer_html=data["answer"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("faq:proposals", coop.code)
        messages.success(request, _("The question is answered and in the FAQ; its author is told."))
        return redirect("faq:entry", coop.code, entry.code)
    context = _context(found.cooperative, form=form, proposal=proposal, decline_form=DeclineForm())
    return render(request, "faq/proposal_answer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Reword a proposed question before answering it."""
    found = get_proposal_for(request, code, need=Need.EDIT)
    proposal = found.proposal
    form = ProposalForm(request.POST or None, initial={"question": proposal.question, "context": proposal.context})
    if request.method == "POST" and form.is_valid():
        services.proposal_update(
            proposal=proposal,
            question=form.cleaned_data["question"],
            context=form.cleaned_data["context"],
            by=request.user,
        )
        messages.success(request, _("The question is reworded."))
        return redirect("faq:proposal_answer", proposal.code)
    return render(request, "faq/proposal_edit.html", _context(found.cooperative, form=form, proposal=proposal))


@login_required
@require_POST
def proposal_decline(request: HttpRequest, code: str) -> HttpResponse:
    found = get_proposal_for(request, code, need=Need.EDIT)
    proposal = found.proposal
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decline(proposal=proposal, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The question is declined; its author is told why."))
        return redirect("faq:proposals", proposal.cooperative.code)
    entry_form = EntryForm(cooperative=proposal.cooperative, initial={"question": proposal.question})
    context = _context(found.cooperative, form=entry_form, proposal=proposal, decline_form=form)
    return render(request, "faq/proposal_answer.html", context, status=400)
