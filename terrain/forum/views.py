"""The forum's pages: a cooperative's topics, a topic and its replies, writing and replying.

Every view goes through an access helper (``forum.access``: 404 when the viewer may not know the
thing exists, 403 when they may see it but not do this) and writes through ``forum.services``.
Everything works without JavaScript: plain forms, redirects, a "Quote" link with ``?citer=``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.forum import selectors, services
from terrain.forum.access import get_category_for, get_forum_for, get_reply_for, get_topic_for
from terrain.forum.forms import ReplyForm, TopicForm
from terrain.forum.models import Category, Reply, Tag
from terrain.forum.services_categories import category_ensure_default
from terrain.lib.codes import looks_like_code
from terrain.lib.html import sanitize_rich_text
from terrain.lib.http import error_text


def _context(access, **extra) -> dict:
    return {"access": access, "coop": access.cooperative, "tab": "forum", "nav": "cooperatives", **extra}


def topic_url(topic, *, page: int | None = None, anchor: str = "") -> str:
    url = reverse("forum:topic_detail", args=[topic.code])
    if page and page > 1:
        url += f"?page={page}"
    return url + (f"#{anchor}" if anchor else "")


# --- Attachments (the library's files) -------------------------------------------------


def _attach_form(request: HttpRequest, cooperative, current=()):
    """The "attach files" part of a form when the cooperative's library is on (else None):
    ``library.forms.AttachField`` over the files the viewer may attach, ``current`` ticked."""
    if not cooperative.tool_on("library"):
        return None
    from terrain.library.forms import AttachField
    from terrain.library.selectors import files_attachable_by

    files = files_attachable_by(request.user, cooperative)
    known = {f.pk for f in files}
    files += [f for f in current if f.pk not in known]
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    return AttachField(*data, files=files, initial={"attachments": [f.code for f in current]})


class _Refused(Exception):
    """An attachment was refused: the error is on the attach form."""


def _save(request: HttpRequest, cooperative, form, attach_form, write, *, field=None):
    """``write(attachments)`` (None: the library is off, attachments unchanged) in one transaction
    with the files uploaded while writing (they go to the library's "Pièces jointes" folder).
    Gives what ``write`` gives, or None with the refusal on the form (attachments: on ``attach_form``)."""
    try:
        with transaction.atomic():
            attachments = None
            if attach_form is not None:
                from terrain.library.services import attachable_check, attachments_folder, file_upload

                try:
                    attachments = attach_form.chosen()
                    uploads = attach_form.cleaned_data.get("attachment_uploads") or []
                    if uploads:
                        folder = attachments_folder(cooperative)
                        attachments += [
                            file_upload(cooperative=cooperative, folder=folder, upload=u, by=request.user, record=False)
                            for u in uploads
                        ]
                    attachable_check(cooperative=cooperative, files=attachments)
                except ValidationError as error:
                    attach_form.add_error(None, error_text(error))
                    raise _Refused from error
            return write(attachments)
    except _Refused:
        return None
    except ValidationError as error:
        form.add_error(field, error_text(error))
        return None


def _valid(form, attach_form) -> bool:
    return all([form.is_valid(), attach_form is None or attach_form.is_valid()])


def _topic_list(request: HttpRequest, access, *, category=None, **options) -> dict:
    tag = None
    key = (request.GET.get("etiquette") or "").strip()
    if key:
        tag = Tag.objects.filter(cooperative=access.cooperative, key=services.tag_key(key)).first()
        if tag is None:
            raise Http404
    page = selectors.topics_page(
        access=access, user=request.user, category=category, tag=tag, number=request.GET.get("page"), **options
    )
    return {"page": page, "tag": tag, "tags": selectors.tags_in_use(access.cooperative)}


@login_required
@require_GET
def home(request: HttpRequest, code: str) -> HttpResponse:
    """A cooperative's forum: its categories, and all its topics, most recently active first."""
    access = get_forum_for(request, code)
    category_ensure_default(cooperative=access.cooperative)
    categories = selectors.categories_of(access.cooperative)
    threshold = selectors.read_threshold(access=access, user=request.user)
    unread = selectors.unread_by_category(access=access, user=request.user, threshold=threshold)
    for category in categories:
        category.unread_count = unread.get(category.pk, 0)
    context = _context(access, categories=categories)
    context.update(_topic_list(request, access, threshold=threshold))
    return render(request, "forum/home.html", context)


@login_required
@require_GET
def category_detail(request: HttpRequest, code: str) -> HttpResponse:
    category_access = get_category_for(request, code)
    access = category_access.cooperative
    context = _context(access, category=category_access.category, category_access=category_access)
    context["following"] = category_access.category.pk in selectors.followed_category_ids(
        user=request.user, cooperative=access.cooperative
    )
    context.update(_topic_list(request, access, category=category_access.category))
    return render(request, "forum/category.html", context)


@login_required
@require_POST
def mark_all_read(request: HttpRequest, code: str) -> HttpResponse:
    access = get_forum_for(request, code)
    services.forum_mark_all_read(cooperative=access.cooperative, user=request.user)
    messages.success(request, _("Every topic of this forum is marked as read."))
    return redirect("forum:home", access.cooperative.code)


@login_required
@require_http_methods(["GET", "POST"])
def topic_create(request: HttpRequest, code: str) -> HttpResponse:
    """Open a topic. A form with errors comes back with what was typed."""
    access = get_forum_for(request, code, need="post")
    category_ensure_default(cooperative=access.cooperative)
    categories = list(Category.objects.filter(cooperative=access.cooperative))
    chosen = request.GET.get("categorie")
    initial = {"category": chosen} if chosen in {c.code for c in categories} else {}
    form = TopicForm(request.POST or None, categories=categories, initial=initial)
    attach_form = _attach_form(request, access.cooperative)
    if request.method == "POST" and _valid(form, attach_form):
        topic = _save(
            request,
            access.cooperative,
            form,
            attach_form,
            lambda files: services.topic_create(
                category=form.chosen_category,
                author=request.user,
                title=form.cleaned_data["title"],
                body_html=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                submission_key=request.POST.get("submission_key"),
                attachments=files or (),
            ),
        )
        if topic is not None:
            messages.success(request, _("Your topic is published."))
            return redirect(topic_url(topic))
    return render(request, "forum/topic_form.html", _context(access, form=form, attach_form=attach_form))


def _quote(request: HttpRequest, topic) -> str:
    """The reply form's text when "Quote" was pressed: the quoted reply in a blockquote."""
    code = request.GET.get("citer", "")
    if not looks_like_code(code):
        return ""
    quoted = Reply.objects.filter(topic=topic, code=code, deleted_at__isnull=True).select_related("author").first()
    if quoted is None:
        return ""
    name = quoted.author.display_name if quoted.author else _("A former member")
    said = _("%(name)s wrote:") % {"name": escape(name)}
    return f"<blockquote><strong>{said}</strong><br>{sanitize_rich_text(quoted.body_html)}</blockquote><div><br></div>"


def _render_topic(
    request: HttpRequest, access, reply_form: ReplyForm | None = None, attach_form=None, status: int = 200
):
    view = selectors.topic_for_display(access=access, user=request.user, number=request.GET.get("page"))
    if reply_form is None:
        reply_form = ReplyForm(initial={"body": _quote(request, access.topic)})
    if attach_form is None and access.can_post:
        attach_form = _attach_form(request, access.topic.cooperative)
    services.topic_mark_read(topic=access.topic, user=request.user, until=view.read_until)
    context = _context(
        access.cooperative,
        topic_access=access,
        view=view,
        topic=view.topic,
        reply_form=reply_form,
        attach_form=attach_form,
        faq_entry=services.topic_faq_entry(view.topic),
        faq_on=access.topic.cooperative.tool_on("faq"),
    )
    return render(request, "forum/topic_detail.html", context, status=status)


@login_required
@require_GET
def topic_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_topic(request, get_topic_for(request, code))


@login_required
@require_POST
def reply_create(request: HttpRequest, code: str) -> HttpResponse:
    access = get_topic_for(request, code)
    if access.topic.locked_at and access.cooperative.can_post:
        messages.error(request, _("This topic is locked: it takes no more replies."))
        return redirect(topic_url(access.topic))
    access.require("post")
    form = ReplyForm(request.POST)
    attach_form = _attach_form(request, access.topic.cooperative)
    if _valid(form, attach_form):
        reply = _save(
            request,
            access.topic.cooperative,
            form,
            attach_form,
            lambda files: services.reply_create(
                topic=access.topic,
                author=request.user,
                body_html=form.cleaned_data["body"],
                submission_key=request.POST.get("submission_key"),
                attachments=files or (),
            ),
            field="body",
        )
        if reply is not None:
            page = selectors.reply_page_number(reply)
            return redirect(topic_url(access.topic, page=page, anchor=f"reply-{reply.code}"))
    return _render_topic(request, access, reply_form=form, attach_form=attach_form, status=400)


@login_required
@require_GET
def reply_link(request: HttpRequest, code: str) -> HttpResponse:
    """A reply's address (notifications, search, feed): its topic, at the right page."""
    access = get_reply_for(request, code)
    reply = access.reply
    return redirect(topic_url(reply.topic, page=selectors.reply_page_number(reply), anchor=f"reply-{reply.code}"))


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The author changes the title, the text and the tags."""
    access = get_topic_for(request, code, need="edit")
    topic = access.topic
    initial = {"title": topic.title, "body": topic.body_html, "tags": ", ".join(t.name for t in topic.tags.all())}
    form = TopicForm(request.POST or None, initial=initial)
    attach_form = _attach_form(request, topic.cooperative, current=_live_attachments(topic))
    if request.method == "POST" and _valid(form, attach_form):
        updated = _save(
            request,
            topic.cooperative,
            form,
            attach_form,
            lambda files: services.topic_update(
                topic=topic,
                by=request.user,
                title=form.cleaned_data["title"],
                body_html=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
                attachments=files,
            ),
        )
        if updated is not None:
            messages.success(request, _("Your topic is updated."))
            return redirect(topic_url(topic))
    context = _context(access.cooperative, form=form, topic=topic, attach_form=attach_form)
    return render(request, "forum/topic_form.html", context)


def _live_attachments(obj) -> list:
    return list(obj.attachments.filter(deleted_at__isnull=True).order_by("name", "id"))


@login_required
@require_http_methods(["GET", "POST"])
def topic_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_topic_for(request, code, need="delete")
    topic = access.topic
    if request.method == "POST":
        services.topic_delete(topic=topic, by=request.user)
        messages.success(request, _("The topic is deleted."))
        return redirect("forum:category_detail", topic.category.code)
    return render(request, "forum/confirm_delete.html", _context(access.cooperative, topic=topic))


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_reply_for(request, code, need="edit")
    reply = access.reply
    form = ReplyForm(request.POST or None, initial={"body": reply.body_html})
    cooperative = reply.topic.cooperative
    attach_form = _attach_form(request, cooperative, current=_live_attachments(reply))
    if request.method == "POST" and _valid(form, attach_form):
        updated = _save(
            request,
            cooperative,
            form,
            attach_form,
            lambda files: services.reply_update(
                reply=reply, by=request.user, body_html=form.cleaned_data["body"], attachments=files
            ),
            field="body",
        )
        if updated is not None:
            messages.success(request, _("Your reply is updated."))
            return redirect("forum:reply_link", reply.code)
    context = _context(access.topic.cooperative, form=form, reply=reply, topic=reply.topic, attach_form=attach_form)
    return render(request, "forum/reply_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reply_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_reply_for(request, code, need="delete")
    reply = access.reply
    if request.method == "POST":
        services.reply_delete(reply=reply, by=request.user)
        messages.success(request, _("The reply is deleted."))
        return redirect(topic_url(reply.topic))
    context = _context(access.topic.cooperative, reply=reply, topic=reply.topic)
    return render(request, "forum/confirm_delete.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def topic_subscribe(request: HttpRequest, code: str) -> HttpResponse:
    """Follow a topic or stop following it. GET (the link of an e-mail) asks to confirm."""
    access = get_topic_for(request, code)
    topic = access.topic
    if request.method == "POST":
        follow = request.POST.get("follow") == "1"
        services.topic_set_subscribed(topic=topic, user=request.user, subscribed=follow)
        messages.success(
            request,
            _("You follow this topic: new replies will be sent to you.")
            if follow
            else _("You no longer follow this topic."),
        )
        return redirect(topic_url(topic))
    return render(request, "forum/unsubscribe.html", _context(access.cooperative, topic=topic))
