"""The officials' pages of the elections kit (sign-in, the structure's officials only)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terrain.cooperatives.access import cooperative_access
from terrain.elections import selectors, services
from terrain.elections.access import get_college_for, get_election_for, get_step_for
from terrain.elections.forms import CandidateFormSet, CollegeForm, ElectionForm, StepForm, TractsForm
from terrain.elections.models import Election
from terrain.lib.http import personal_data
from terrain.public.models import Site
from terrain.structures.access import get_structure_for
from terrain.structures.views import header_context
from terrain.tracts.selectors import tracts_in
from terrain.tracts.tools import TRACTS


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "message_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def election_list(request: HttpRequest, code: str) -> HttpResponse:
    access = get_structure_for(request, code, need="manage")
    structure = access.structure
    form = ElectionForm(request.POST or None, initial={"reminder_days": "7,1"})
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(structure=structure, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The election is created with the usual steps: check their dates."))
            return redirect("elections:detail", election.code)
    today = timezone.localdate()
    elections = [(e, selectors.vote_countdown(e, today)) for e in selectors.elections_of(structure)]
    return render(
        request,
        "elections/list.html",
        {
            **header_context(request, access, "site"),
            "elections": elections,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _public_url(election: Election) -> str:
    site = Site.objects.filter(structure=election.structure, published=True).first()
    if site is None or election.status != Election.Status.PUBLISHED:
        return ""
    return settings.SITE_URL + reverse("elections_public:detail", args=[site.slug, election.code])


def _voting_day_message(election: Election, public_url: str) -> str:
    """The workshop's composer, filled with a "Votez !" message to schedule for the vote day."""
    text = _("Vote! %(title)s: %(when)s. Every vote counts for our candidates.") % {
        "title": election.title,
        "when": election.vote_date.strftime("%d/%m/%Y"),
    }
    params = {"date": election.vote_date.isoformat(), "heure": "07:30", "texte": text}
    if public_url:
        params["lien"] = public_url
    return reverse("atelier:message_new", args=[election.structure.code]) + "?" + urlencode(params)


def _tracts_offered(request, election: Election) -> list:
    cooperative = getattr(election.structure, "cooperative", None)
    if cooperative is None or not cooperative.tool_on(TRACTS):
        return []
    return list(tracts_in(cooperative_access(user=request.user, cooperative=cooperative))[:200])


@personal_data
@login_required
def election_detail(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    election = access.election
    today = timezone.localdate()
    nearest = selectors.next_step(election, today)
    public_url = _public_url(election)
    offered = {t.pk: t for t in _tracts_offered(request, election)}
    chosen = [offered[link.tract_id] for link in election.tract_links.all() if link.tract_id in offered]
    steps = [
        (step, StepForm(initial={"due_date": step.due_date, "done": step.done}, prefix=step.code))
        for step in election.steps.all()
    ]
    return render(
        request,
        "elections/detail.html",
        {
            "access": access.structure,
            "structure": election.structure,
            "election": election,
            "countdown": selectors.vote_countdown(election, today),
            "next_step": nearest,
            "next_countdown": selectors.countdown(nearest.due_date, today) if nearest else "",
            "steps": steps,
            "colleges": selectors.colleges_with_parity(election),
            "college_form": CollegeForm(),
            "tracts": chosen,
            "tracts_form": TractsForm(tracts=list(offered.values()), initial={"tracts": [t.code for t in chosen]}),
            "public_url": public_url,
            "message_url": _voting_day_message(election, public_url),
            "can_message": access.structure.can_manage,
            "nav": "structures",
        },
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def election_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    election = access.election
    form = ElectionForm(request.POST or None, instance=election)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_update(
                election=Election.objects.get(pk=election.pk), by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The election is saved."))
            return redirect("elections:detail", election.code)
    return render(
        request,
        "elections/edit.html",
        {"election": election, "structure": election.structure, "form": form, "nav": "structures"},
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_POST
def election_status(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    try:
        services.election_move(election=access.election, status=request.POST.get("status", ""), by=request.user)
    except (ValidationError, ValueError):
        messages.error(request, _("This change of state is not possible."))
    else:
        messages.success(
            request, _("The election is now: %(status)s.") % {"status": access.election.get_status_display()}
        )
    return redirect("elections:detail", access.election.code)


@personal_data
@login_required
@require_POST
def election_replan(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    moved = services.election_steps_replan(election=access.election, by=request.user)
    messages.success(request, _("Steps placed again from the vote dates: %(count)d moved.") % {"count": moved})
    return redirect("elections:detail", access.election.code)


@personal_data
@login_required
@require_POST
def step_edit(request: HttpRequest, code: str) -> HttpResponse:
    access, found = get_step_for(request, code)
    form = StepForm(request.POST, prefix=found.code)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date for “%(step)s”.") % {"step": found.label})
        return redirect(reverse("elections:detail", args=[access.election.code]) + "#steps")
    services.step_update(step=found, by=request.user, **form.cleaned_data)
    messages.success(request, _("Step saved."))
    return redirect(reverse("elections:detail", args=[access.election.code]) + "#steps")


@personal_data
@login_required
@require_POST
def college_add(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    election = access.election
    form = CollegeForm(request.POST)
    if form.is_valid():
        try:
            college = services.college_save(election=election, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return redirect("elections:college", college.code)
    return render(
        request,
        "elections/college_new.html",
        {"election": election, "structure": election.structure, "form": form, "nav": "structures"},
        status=400,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def college_edit(request: HttpRequest, code: str) -> HttpResponse:
    """A college: its figures and its candidate list, with the parity check."""
    access, found = get_college_for(request, code)
    election = access.election
    candidates = list(found.candidates.all())
    initial = [{"name": c.name, "gender": c.gender, "job": c.job, "ORDER": i + 1} for i, c in enumerate(candidates)]
    data = request.POST if request.method == "POST" else None
    form = CollegeForm(data, instance=found, prefix="college")
    if data is None:
        formset = CandidateFormSet(initial=initial, prefix="candidates")
    else:
        # Every row is read as typed (not compared with the saved list): an untouched row counts too.
        formset = CandidateFormSet(data, prefix="candidates", form_kwargs={"empty_permitted": True})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            with transaction.atomic():  # the figures and the list together, or nothing
                services.college_save(election=election, college=found, by=request.user, **form.cleaned_data)
                services.candidates_replace(college=found, by=request.user, candidates=formset.candidates())
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The list is saved."))
            return redirect(reverse("elections:college", args=[found.code]) + "#parity")
    parity = next(view for view in selectors.colleges_with_parity(election) if view.college.pk == found.pk)
    return render(
        request,
        "elections/college.html",
        {
            "election": election,
            "structure": election.structure,
            "college": found,
            "view": parity,
            "form": form,
            "formset": formset,
            "nav": "structures",
        },
        status=400 if request.method == "POST" else 200,
    )


@personal_data
@login_required
@require_POST
def college_remove(request: HttpRequest, code: str) -> HttpResponse:
    access, found = get_college_for(request, code)
    services.college_remove(college=found, by=request.user)
    messages.success(request, _("The college and its list are removed."))
    return redirect("elections:detail", access.election.code)


@personal_data
@login_required
@require_POST
def election_tracts(request: HttpRequest, code: str) -> HttpResponse:
    access = get_election_for(request, code)
    offered = _tracts_offered(request, access.election)
    form = TractsForm(request.POST, tracts=offered)
    if form.is_valid():
        services.election_tracts_set(
            election=access.election, by=request.user, tracts=[form.tracts[c] for c in form.cleaned_data["tracts"]]
        )
        messages.success(request, _("The campaign's tracts are saved."))
    else:
        messages.error(request, _("Choose tracts of your cooperative's tractothèque."))
    return redirect(reverse("elections:detail", args=[access.election.code]) + "#tracts")
