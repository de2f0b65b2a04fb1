"""The inbox pages of a structure's communication team: the list of threads, one thread, saved answers.

Every view starts with an access helper (``terrain.inbox.access``); every change is a POST that
goes back to the page it came from (to the part of it that changed: ``#notes``, ``#answers``...),
its outcome said in a flash message. What people wrote is personal data: ``@personal_data``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.inbox import answers, selectors, services
from terrain.inbox.access import get_conversation_for, get_inbox_for, get_reply_for, get_saved_reply_for
from terrain.inbox.forms import AssignForm, FilterForm, NoteForm, ReplyForm, SavedReplyForm, StatusForm, TagsForm
from terrain.inbox.models import Reply
from terrain.lib.http import personal_data
from terrain.networks import registry


def _context(access, tab: str = "inbox", **extra) -> dict:
    return {"access": access, "structure": access.structure, "tab": tab, "nav": "atelier", **extra}


def _thread_url(conversation, anchor: str = "") -> str:
    url = reverse("inbox:thread", args=[conversation.code])
    return f"{url}#{anchor}" if anchor else url


# --- The list -------------------------------------------------------------------------------


@personal_data
@login_required
@require_GET
def inbox(request: HttpRequest, code: str) -> HttpResponse:
    access = get_inbox_for(request, code)
    form = FilterForm(request.GET or None)
    filters = form.values() if request.GET else {"status": "open"}
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selectors.conversations_page(structure=access.structure, filters=filters, user=request.user, number=number)
    kept = {name: value for name, value in filters.items() if value and not (name == "status" and value == "open")}
    labels = dict(registry.choices())
    for row in page.rows:
        row.network_label = labels.get(row.network, row.network) if row.network else _("News feed")
    return render(
        request,
        "inbox/list.html",
        _context(
            access,
            form=form,
            page=page,
            inbox_new=page.new,
            filtered=bool(kept),
            query=urlencode(kept),
            next_query=urlencode({**kept, "page": page.number + 1}),
            previous_query=urlencode({**kept, "page": page.number - 1}),
        ),
    )


@personal_data
@login_required
@require_POST
def inbox_close(request: HttpRequest, code: str) -> HttpResponse:
    """Close the ticked threads (of this structure only)."""
    access = get_inbox_for(request, code)
    closed = services.conversations_close(
        structure=access.structure, codes=request.POST.getlist("conversations"), by=request.user
    )
    if closed:
        flash.success(
            request,
            ngettext("%(counter)s conversation closed.", "%(counter)s conversations closed.", closed)
            % {"counter": closed},
        )
    else:
        flash.info(request, _("Tick the conversations to close first."))
    back = reverse("inbox:list", args=[access.structure.code])
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query and "\n" not in query else back)


# --- One thread -----------------------------------------------------------------------------


def _render_thread(request, conversation, access, *, reply_form=None, note_form=None, tags_form=None, advice=None):
    thread = selectors.thread_for(conversation)
    team = services.team_of(conversation.structure)
    answerable = thread.answerable
    if reply_form is None:
        initial = {}
        chosen = request.GET.get("modele", "")
        saved = next((s for s in thread.saved if s.code == chosen), None)
        if saved is not None:
            initial["text"] = saved.text
        reply_form = ReplyForm(items=answerable, initial=initial)
    labels = dict(registry.choices())
    return render(
        request,
        "inbox/thread.html",
        _context(
            access,
            conversation=conversation,
            network_label=labels.get(conversation.network, conversation.network),
            thread=thread,
            status_form=StatusForm(initial={"status": conversation.status}),
            assign_form=AssignForm(
                team=team, initial={"assignee": conversation.assignee.code if conversation.assignee else None}
            ),
            tags_form=tags_form or TagsForm(initial={"tags": ", ".join(conversation.tags)}),
            note_form=note_form or NoteForm(),
            reply_form=reply_form,
            can_answer=bool(answerable),
            needs_approval=services.reply_needs_approval(access),
            advice=advice,
        ),
        status=400 if any(form is not None and form.errors for form in (reply_form, note_form, tags_form)) else 200,
    )


@personal_data
@login_required
@require_GET
def thread(request: HttpRequest, code: str) -> HttpResponse:
    conversation, access = get_conversation_for(request, code)
    return _render_thread(request, conversation, access)


@personal_data
@login_required
@require_POST
def thread_status(request: HttpRequest, code: str) -> HttpResponse:
    conversation, _access = get_conversation_for(request, code)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.conversation_set_status(conversation=conversation, status=form.cleaned_data["status"], by=request.user)
        flash.success(request, _("Status changed: %(status)s.") % {"status": conversation.get_status_display()})
    else:
        flash.error(request, _("Choose a status from the list."))
    return redirect(_thread_url(conversation, "handling"))


@personal_data
@login_required
@require_POST
def thread_assign(request: HttpRequest, code: str) -> HttpResponse:
    conversation, _access = get_conversation_for(request, code)
    form = AssignForm(request.POST, team=services.team_of(conversation.structure))
    if form.is_valid():
        assignee = form.cleaned_data["assignee"]
        services.conversation_assign(conversation=conversation, assignee=assignee, by=request.user)
        if assignee is None:
            flash.success(request, _("The conversation is assigned to nobody."))
        else:
            flash.success(request, _("The conversation is assigned to %(name)s.") % {"name": assignee})
    else:
        flash.error(request, _("Choose a member of the team."))
    return redirect(_thread_url(conversation, "handling"))


@personal_data
@login_required
@require_POST
def thread_tags(request: HttpRequest, code: str) -> HttpResponse:
    conversation, access = get_conversation_for(request, code)
    form = TagsForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, conversation, access, tags_form=form)
    services.conversation_tag(conversation=conversation, tags=form.cleaned_data["tags"], by=request.user)
    flash.success(request, _("Tags saved."))
    return redirect(_thread_url(conversation, "handling"))


@personal_data
@login_required
@require_POST
def thread_note(request: HttpRequest, code: str) -> HttpResponse:
    conversation, access = get_conversation_for(request, code)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, conversation, access, note_form=form)
    services.note_add(conversation=conversation, text=form.cleaned_data["text"], by=request.user)
    flash.success(request, _("Note added: only the team sees it."))
    return redirect(_thread_url(conversation, "notes"))


def _advice(text: str, structure) -> list:
    from terrain.atelier.selectors_plan import lexicon_of
    from terrain.coach import analyse

    return analyse(text, lexicon=lexicon_of(structure=structure)) if text.strip() else []


@personal_data
@login_required
@require_POST
def thread_reply(request: HttpRequest, code: str) -> HttpResponse:
    """Answer on the network (after approval when the workshop requires it), or, with the
    "check" button, show the writing coach's advice on the text first."""
    conversation, access = get_conversation_for(request, code)
    thread = selectors.thread_for(conversation)
    form = ReplyForm(request.POST, items=thread.answerable)
    if "check" in request.POST or not form.is_valid():
        advice = _advice(request.POST.get("text", ""), conversation.structure)
        return _render_thread(request, conversation, access, reply_form=form, advice=advice)
    try:
        reply, new = answers.reply_submit(
            conversation=conversation,
            item=form.cleaned_data["item"],
            text=form.cleaned_data["text"],
            by=request.user,
            access=access,
            key=request.POST.get("submission_key", ""),
        )
    except IntegrityError:  # the same form sent twice at the same instant: the other one made it
        return redirect(_thread_url(conversation, "answers"))
    if new and reply.state == Reply.State.PENDING_APPROVAL:
        flash.success(request, _("Your answer waits for approval before it goes out."))
    elif new:
        flash.success(request, _("Your answer is being sent."))
    return redirect(_thread_url(conversation, "answers"))


def _reply_action(request, code: str, *, need: str, action, done: str, too_late: str) -> HttpResponse:
    reply, _access = get_reply_for(request, code, need=need)
    if action(reply=reply, by=request.user):
        flash.success(request, done)
    else:
        flash.error(request, too_late)
    return redirect(_thread_url(reply.conversation, "answers"))


@personal_data
@login_required
@require_POST
def reply_approve(request: HttpRequest, code: str) -> HttpResponse:
    return _reply_action(
        request,
        code,
        need="approve",
        action=answers.reply_approve,
        done=_("Answer approved: it is being sent."),
        too_late=_("This answer was not waiting for approval any more."),
    )


@personal_data
@login_required
@require_POST
def reply_refuse(request: HttpRequest, code: str) -> HttpResponse:
    return _reply_action(
        request,
        code,
        need="approve",
        action=answers.reply_refuse,
        done=_("Answer refused: it will not go out."),
        too_late=_("This answer was not waiting for approval any more."),
    )


@personal_data
@login_required
@require_POST
def reply_retry(request: HttpRequest, code: str) -> HttpResponse:
    return _reply_action(
        request,
        code,
        need="read",
        action=answers.reply_retry,
        done=_("The answer is being sent again."),
        too_late=_("This answer had not failed: nothing to send again."),
    )


# --- Saved answers --------------------------------------------------------------------------


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def saved_replies(request: HttpRequest, code: str) -> HttpResponse:
    access = get_inbox_for(request, code, need="manage")
    form = SavedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.saved_reply_save(structure=access.structure, by=request.user, **form.cleaned_data)
        flash.success(request, _("Saved answer added."))
        return redirect("inbox:saved_replies", access.structure.code)
    return render(
        request,
        "inbox/saved_replies.html",
        _context(access, form=form, saved=list(access.structure.saved_replies.all())),
        status=400 if form.errors else 200,
    )


@personal_data
@login_required
@require_http_methods(["GET", "POST"])
def saved_reply_edit(request: HttpRequest, code: str) -> HttpResponse:
    saved, access = get_saved_reply_for(request, code)
    form = SavedReplyForm(request.POST or None, initial={"title": saved.title, "text": saved.text})
    if request.method == "POST" and form.is_valid():
        services.saved_reply_save(structure=access.structure, saved=saved, by=request.user, **form.cleaned_data)
        flash.success(request, _("Saved answer changed."))
        return redirect("inbox:saved_replies", access.structure.code)
    return render(
        request,
        "inbox/saved_reply_edit.html",
        _context(access, form=form, saved=saved),
        status=400 if form.errors else 200,
    )


@personal_data
@login_required
@require_POST
def saved_reply_delete(request: HttpRequest, code: str) -> HttpResponse:
    saved, access = get_saved_reply_for(request, code)
    services.saved_reply_delete(saved=saved, by=request.user)
    flash.success(request, _("Saved answer deleted."))
    return redirect("inbox:saved_replies", access.structure.code)
