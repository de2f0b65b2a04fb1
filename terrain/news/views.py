"""News of a cooperative: posts, images, reactions and comments.

Every view goes through an access helper first (404 when the viewer may not
know the post exists, 403 when they may see it but not do this) and writes
through ``news.services``. htmx requests get a partial; the same URLs work
without JavaScript with a plain POST and a redirect.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.access import get_cooperative_for
from terrain.cooperatives.selectors import cooperatives_to_post_in
from terrain.lib.codes import looks_like_code
from terrain.lib.html import plain_text
from terrain.lib.http import protected_file, safe_next_url
from terrain.lib.urls import url_for_code
from terrain.news import services
from terrain.news.access import get_comment_for, get_post_for
from terrain.news.forms import CommentForm, PostEditForm, PostForm
from terrain.news.models import PostImage, Reaction
from terrain.news.selectors import (
    comment_for_display,
    cooperative_stream,
    mention_candidates,
    post_for_display,
    reactions_for_display,
)
from terrain.news.tools import NEWS


def cooperative_url(cooperative) -> str:
    return url_for_code("cooperatives:detail", cooperative.code)


def _post_url(post, anchor: str = "") -> str:
    return reverse("news:post_detail", args=[post.code]) + (f"#{anchor}" if anchor else "")


# --- Posts ---------------------------------------------------------------------


def _publish(request: HttpRequest, form: PostForm, cooperative, attach_form=None) -> bool:
    """Publish what a valid post form holds in ``cooperative``; a refusal goes on the form.
    ``attach_form`` (``library.forms.AttachField``): files picked from the library or uploaded
    into its "Pièces jointes" folder, in the same transaction as the post."""
    if not form.is_valid() or (attach_form is not None and not attach_form.is_valid()):
        return False
    try:
        with transaction.atomic():
            attachments = []
            if attach_form is not None:
                from terrain.library.services import attachments_folder, file_upload

                attachments = attach_form.chosen()
                uploads = attach_form.cleaned_data.get("attachment_uploads") or []
                if uploads:
                    folder = attachments_folder(cooperative)
                    attachments += [
                        file_upload(cooperative=cooperative, folder=folder, upload=u, by=request.user, record=False)
                        for u in uploads
                    ]
            services.post_create(
                cooperative=cooperative,
                author=request.user,
                body_html=form.cleaned_data["body"],
                images=form.uploads,
                submission_key=request.POST.get("submission_key"),
                attachments=attachments,
            )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _attach_form(request: HttpRequest, cooperative):
    """The composer's "attach files" part when the cooperative's library is on (``library``)."""
    if not cooperative.tool_on("library"):
        return None
    from terrain.library.forms import AttachField
    from terrain.library.selectors import files_attachable_by

    return AttachField(
        request.POST or None, request.FILES or None, files=files_attachable_by(request.user, cooperative)
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest, code: str) -> HttpResponse:
    """Publish in a cooperative. A form with errors comes back with the text kept."""
    access = get_cooperative_for(request, code, need="post").require_tool(NEWS)
    cooperative = access.cooperative
    form = PostForm(request.POST or None, request.FILES or None)
    attach_form = _attach_form(request, cooperative)
    if request.method == "POST" and _publish(request, form, cooperative, attach_form):
        messages.success(request, _("Your post is published."))
        return redirect(cooperative_url(cooperative))
    return render(
        request,
        "news/post_create.html",
        {
            "cooperative": cooperative,
            "access": access,
            "composer_form": form,
            "attach_form": attach_form,
            "nav": "cooperatives",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_write(request: HttpRequest) -> HttpResponse:
    """Publish from the feed, choosing the cooperative among those where the member may post
    (``?cooperative=`` chooses one first). The chosen one is checked as ``post_create`` does."""
    choices = cooperatives_to_post_in(user=request.user)
    code = request.POST.get("cooperative") or request.GET.get("cooperative") or ""
    cooperative = next((c for c in choices if c.code == code), choices[0] if choices else None)
    form = PostForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        cooperative = get_cooperative_for(request, code, need="post").cooperative
    # The files of the cooperative shown (the one posted in, once sent).
    attach_form = _attach_form(request, cooperative) if cooperative is not None else None
    if request.method == "POST" and _publish(request, form, cooperative, attach_form):
        messages.success(request, _("Your post is published in %(name)s.") % {"name": cooperative.name})
        return redirect("feed:home")
    return render(
        request,
        "news/post_write.html",
        {
            "cooperative": cooperative,
            "choices": choices,
            "composer_form": form,
            "attach_form": attach_form,
            "nav": "feed",
        },
    )


@login_required
@require_GET
def post_detail(request: HttpRequest, code: str) -> HttpResponse:
    access = get_post_for(request, code)
    return _render_post_detail(request, access, CommentForm())


def _render_post_detail(request: HttpRequest, access, comment_form: CommentForm) -> HttpResponse:
    post = post_for_display(access=access)
    return render(
        request,
        "news/post_detail.html",
        {
            "post": post,
            "cooperative": post.cooperative,
            "cooperative_link": cooperative_url(post.cooperative),
            "comment_form": comment_form,
            "nav": "cooperatives",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The author changes the text, and adds, removes or describes anew the images."""
    access = get_post_for(request, code, need="edit")
    post = access.post
    form = PostEditForm(request.POST or None, request.FILES or None, initial={"body": post.body_html}, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_update(
                post=post,
                by=request.user,
                body_html=form.cleaned_data["body"],
                kept_images=form.kept,
                added_images=form.uploads,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your post is updated."))
            return redirect(_post_url(post))
    return render(
        request,
        "news/post_edit.html",
        {"post": post, "form": form, "cooperative": post.cooperative, "nav": "cooperatives"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, code: str) -> HttpResponse:
    """The author removes their post, or a facilitator moderates it (recorded in the audit trail)."""
    access = get_post_for(request, code, need="delete")
    post = access.post
    if request.method == "POST":
        services.post_delete(post=post, by=request.user)
        if request.htmx:
            return render(request, "news/_post_deleted.html", {"post": post})
        messages.success(request, _("The post is deleted."))
        return redirect(safe_next_url(request, cooperative_url(post.cooperative)))
    return render(
        request,
        "news/post_delete.html",
        {"post": post, "access": access, "cooperative": post.cooperative, "nav": "cooperatives"},
    )


@login_required
@require_POST
def post_pin(request: HttpRequest, code: str) -> HttpResponse:
    """Facilitators pin a post at the top of the cooperative's news, or unpin it."""
    access = get_post_for(request, code)
    if not access.can_moderate:
        raise PermissionDenied
    pinned = request.POST.get("pinned") == "1"
    services.post_set_pinned(post=access.post, pinned=pinned)
    messages.success(request, _("The post is pinned at the top.") if pinned else _("The post is no longer pinned."))
    return redirect(safe_next_url(request, cooperative_url(access.post.cooperative)))


@login_required
@require_POST
def react(request: HttpRequest, code: str) -> HttpResponse:
    """Toggle the viewer's reaction; htmx gets the reaction bar back."""
    access = get_post_for(request, code)
    if not access.cooperative.can_post:
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    try:
        reaction = services.reaction_toggle(post=access.post, user=request.user, kind=kind)
    except ValidationError:
        return HttpResponse(status=400)
    if request.htmx:
        post = reactions_for_display(post=access.post, user_id=request.user.pk)
        post.access = access
        # Said to screen readers by terrain.js (the page does not change otherwise).
        label = Reaction.Kind(kind).label
        announce = (
            _("Your reaction “%(reaction)s” is added.") if reaction else _("Your reaction “%(reaction)s” is removed.")
        ) % {"reaction": label}
        return render(request, "news/_reactions.html", {"post": post, "announce": announce})
    return redirect(safe_next_url(request, _post_url(access.post)))


@login_required
@require_GET
def image(request: HttpRequest, code: str) -> HttpResponse:
    """An image of a post, for those who may read the post only; never a public file."""
    if not looks_like_code(code):
        raise Http404
    picture = PostImage.objects.select_related("post").filter(code=code).first()
    if picture is None:
        raise Http404
    get_post_for(request, picture.post.code)
    # ``?w=``: a smaller copy, for ``srcset`` (``news`` tag ``post_image``).
    return protected_file(
        request, picture.image, max_age=24 * 3600, width=request.GET.get("w"), known_width=picture.width
    )


@login_required
@require_GET
def stream_page(request: HttpRequest, code: str) -> HttpResponse:
    """The next page of a cooperative's news (the "See older posts" link, infinite scroll)."""
    access = get_cooperative_for(request, code, need="read").require_tool(NEWS)
    stream = cooperative_stream(access=access, before=request.GET.get("avant"))
    return render(request, "news/_stream_page.html", {"access": access, "stream": stream})


@login_required
@require_GET
def mention_suggest(request: HttpRequest, code: str) -> JsonResponse:
    """Up to eight members' @names starting with ``q``, for the composer's suggestions."""
    access = get_cooperative_for(request, code, need="read")
    return JsonResponse(
        {"members": mention_candidates(cooperative=access.cooperative, prefix=request.GET.get("q", ""))}
    )


# --- Comments ------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request: HttpRequest, code: str) -> HttpResponse:
    access = get_post_for(request, code)
    if not access.can_comment:
        raise PermissionDenied
    form = CommentForm(request.POST)
    comment = None
    if form.is_valid():
        try:
            comment = services.comment_create(
                post=access.post,
                author=request.user,
                text=form.cleaned_data["text"],
                submission_key=request.POST.get("submission_key"),
            )
        except ValidationError as error:
            form.add_error("text", error)
    if comment is None:
        if request.htmx:
            # Back in place of the form, with the typed text and the message.
            response = render(request, "news/_comment_form.html", {"post": access.post, "comment_form": form})
            response["HX-Retarget"] = f"#comment-form-{access.post.code}"
            response["HX-Reswap"] = "outerHTML"
            return response
        return _render_post_detail(request, access, form)
    if request.htmx:
        comment_access = get_comment_for(request, comment.code)
        return render(
            request,
            "news/_comment_created.html",
            {
                "comment": comment_for_display(access=comment_access),
                "post": access.post,
                "comment_form": CommentForm(),
                "announce": _("Your comment is published."),
            },
        )
    messages.success(request, _("Your comment is published."))
    return redirect(_post_url(access.post, f"comment-{comment.code}"))


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, code: str) -> HttpResponse:
    access = get_comment_for(request, code, need="edit")
    comment = access.comment
    form = CommentForm(request.POST or None, initial={"text": _comment_text(comment.body_html)})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(comment=comment, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error)
        else:
            if request.htmx:
                return render(request, "news/_comment.html", {"comment": comment_for_display(access=access)})
            messages.success(request, _("Your comment is updated."))
            return redirect(_post_url(comment.post, f"comment-{comment.code}"))
    template = "news/_comment_edit_form.html" if request.htmx else "news/comment_edit.html"
    return render(request, template, {"comment": comment, "form": form, "nav": "cooperatives"})


@login_required
@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, code: str) -> HttpResponse:
    access = get_comment_for(request, code, need="delete")
    comment = access.comment
    if request.method == "POST":
        services.comment_delete(comment=comment, by=request.user)
        if request.htmx:
            return HttpResponse("")
        messages.success(request, _("The comment is deleted."))
        return redirect(_post_url(comment.post, "comments"))
    return render(request, "news/comment_delete.html", {"comment": comment, "access": access, "nav": "cooperatives"})


def _comment_text(body_html: str) -> str:
    """A comment's stored HTML back to the text its author typed: paragraphs and line breaks."""
    chunks = [plain_text(chunk) for chunk in body_html.split("</p>")]
    return "\n\n".join(chunk for chunk in chunks if chunk)
