"""What animateurs do in the forum: categories, pin, lock, move, the answer; and following a category."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from terrain.forum import selectors, services, services_categories
from terrain.forum.access import get_category_for, get_forum_for, get_reply_for, get_topic_for
from terrain.forum.forms import CategoryForm, MoveForm
from terrain.forum.views import _context, topic_url
from terrain.lib.http import error_text

MODERATIONS = {
    "pin": (services.topic_set_pinned, {"pinned": True}),
    "unpin": (services.topic_set_pinned, {"pinned": False}),
    "lock": (services.topic_set_locked, {"locked": True}),
    "unlock": (services.topic_set_locked, {"locked": False}),
}


@login_required
@require_http_methods(["GET", "POST"])
def categories(request: HttpRequest, code: str) -> HttpResponse:
    """The forum's categories: add one, rename, reorder, delete (animateurs)."""
    access = get_forum_for(request, code, need="animate")
    if not access.can_post:
        raise PermissionDenied
    form = CategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_categories.category_create(cooperative=access.cooperative, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error_text(error))
        else:
            messages.success(request, _("The category is created."))
            return redirect("forum:categories", access.cooperative.code)
    context = _context(access, form=form, categories=selectors.categories_of(access.cooperative))
    return render(request, "forum/categories.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_category_for(request, code, need="edit")
    category = access.category
    form = CategoryForm(request.POST or None, initial={"name": category.name, "description": category.description})
    if request.method == "POST" and form.is_valid():
        try:
            services_categories.category_update(category=category, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("name", error_text(error))
        else:
            messages.success(request, _("The category is renamed."))
            return redirect("forum:categories", category.cooperative.code)
    return render(request, "forum/category_edit.html", _context(access.cooperative, form=form, category=category))


@login_required
@require_POST
def category_shift(request: HttpRequest, code: str) -> HttpResponse:
    access = get_category_for(request, code, need="edit")
    services_categories.category_shift(category=access.category, up=request.POST.get("up") == "1", by=request.user)
    return redirect("forum:categories", access.category.cooperative.code)


@login_required
@require_http_methods(["GET", "POST"])
def category_delete(request: HttpRequest, code: str) -> HttpResponse:
    """Delete a category; when it holds topics, the animateur chooses where they go."""
    access = get_category_for(request, code, need="edit")
    category = access.category
    others = selectors.other_categories(category)
    form = MoveForm(request.POST if request.method == "POST" else None, categories=others, required=False)
    if request.method == "POST" and form.is_valid():
        try:
            services_categories.category_delete(category=category, by=request.user, move_to=form.chosen_category)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The category is deleted."))
            return redirect("forum:categories", category.cooperative.code)
    count = category.topics.filter(deleted_at__isnull=True).count()
    context = _context(access.cooperative, form=form, category=category, topic_count=count)
    return render(request, "forum/category_delete.html", context)


@login_required
@require_POST
def category_subscribe(request: HttpRequest, code: str) -> HttpResponse:
    access = get_category_for(request, code)
    follow = request.POST.get("follow") == "1"
    services_categories.category_set_subscribed(category=access.category, user=request.user, subscribed=follow)
    messages.success(
        request,
        _("You follow this category: new topics will be sent to you.")
        if follow
        else _("You no longer follow this category."),
    )
    return redirect("forum:category_detail", access.category.code)


@login_required
@require_POST
def topic_moderate(request: HttpRequest, code: str) -> HttpResponse:
    """Pin or unpin, lock or unlock a topic (animateurs)."""
    access = get_topic_for(request, code, need="animate")
    action = MODERATIONS.get(request.POST.get("action", ""))
    if action is None:
        return HttpResponse(status=400)
    service, arguments = action
    service(topic=access.topic, by=request.user, **arguments)
    notes = {
        "pin": _("The topic is pinned at the top."),
        "unpin": _("The topic is no longer pinned."),
        "lock": _("The topic is locked: it takes no more replies."),
        "unlock": _("The topic is open to replies again."),
    }
    messages.success(request, notes[request.POST["action"]])
    return redirect(topic_url(access.topic))


@login_required
@require_http_methods(["GET", "POST"])
def topic_move(request: HttpRequest, code: str) -> HttpResponse:
    access = get_topic_for(request, code, need="animate")
    topic = access.topic
    form = MoveForm(request.POST or None, categories=selectors.other_categories(topic.category))
    if request.method == "POST" and form.is_valid():
        services.topic_move(topic=topic, category=form.chosen_category, by=request.user)
        messages.success(request, _("The topic is moved to %(name)s.") % {"name": form.chosen_category.name})
        return redirect(topic_url(topic))
    return render(request, "forum/topic_move.html", _context(access.cooperative, form=form, topic=topic))


@login_required
@require_POST
def reply_answer(request: HttpRequest, code: str) -> HttpResponse:
    """Mark a reply as the topic's answer ("Solved"), or take the mark back (animateurs)."""
    access = get_reply_for(request, code, need="animate")
    reply = access.reply
    if request.POST.get("answer") == "1":
        services.reply_mark_answer(reply=reply, by=request.user)
        messages.success(request, _("This reply is marked as the answer: the topic is solved."))
    else:
        services.topic_unmark_answer(topic=reply.topic, by=request.user)
        messages.success(request, _("The topic is no longer marked as solved."))
    return redirect(topic_url(reply.topic))


@login_required
@require_http_methods(["GET", "POST"])
def topic_faq(request: HttpRequest, code: str) -> HttpResponse:
    """Put an answered topic in the cooperative's FAQ (animateurs, when the FAQ is on).

    One click (a POST without fields) takes the defaults: the title as question, the answer
    reply's text as answer, the FAQ's first theme; the form (GET) lets them adjust first."""
    from terrain.faq.forms import EntryForm
    from terrain.faq.models import QUESTION_MAX, Theme
    from terrain.faq.services import entry_url

    access = get_topic_for(request, code, need="animate")
    access.cooperative.require_tool("faq")
    topic = access.topic
    if services.topic_faq_entry(topic) is not None:
        messages.info(request, _("This topic is already in the FAQ: follow the link below to read the entry."))
        return redirect(topic_url(topic))
    if topic.answer_id is None:
        messages.error(request, _("Mark a reply as the answer first."))
        return redirect(topic_url(topic))
    cooperative = topic.cooperative
    has_themes = Theme.objects.filter(cooperative=cooperative).exists()
    form = None
    if request.method == "GET" or "question" in request.POST:
        first = Theme.objects.filter(cooperative=cooperative).first()
        answer = topic.answer.body_html
        initial = {"question": topic.title[:QUESTION_MAX], "answer": answer, "theme": first.pk if first else None}
        form = EntryForm(request.POST or None, cooperative=cooperative, initial=initial)
        if not has_themes:
            del form.fields["theme"]
    if request.method == "POST" and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            entry = services.topic_faq_add(
                topic=topic,
                by=request.user,
                theme=data.get("theme"),
                question=data.get("question"),
                answer_html=data.get("answer"),
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(topic_url(topic))
        messages.success(request, _("The topic is in the FAQ."))
        return redirect(entry_url(entry))
    return render(request, "forum/topic_faq.html", _context(access.cooperative, topic=topic, form=form))
