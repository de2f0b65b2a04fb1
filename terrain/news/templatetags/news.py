"""Template helpers of the news cards."""

from __future__ import annotations

import os
from functools import lru_cache

from django import template
from django.utils.html import escape, json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from terrain.core.templatetags.terrain import csrf_field, per_reader
from terrain.lib.fragments import filler, hole, recording
from terrain.lib.html import plain_text, plain_text_start, sanitize_rich_text
from terrain.lib.images import RENDITION_WIDTHS
from terrain.lib.urls import url_for_code

register = template.Library()


@register.simple_tag(takes_context=True)
def here(context) -> str:
    """The page the person is looking at, also when this is an htmx fragment of it:
    where an action without JavaScript comes back to."""
    return _here(context)


def _here(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    here = getattr(request, "_terrain_here", None)
    if here is None:  # once per request: every card of the feed asks
        htmx = getattr(request, "htmx", None)
        here = htmx.current_url_abs_path if htmx and htmx.current_url_abs_path else request.get_full_path()
        request._terrain_here = here
    return here


@register.filter
def rich_text(value: str) -> str:
    """Stored rich text, sanitised again at display."""
    return mark_safe(sanitize_rich_text(value or ""))  # noqa: S308


@register.filter
def plain(value: str) -> str:
    """Stored HTML as plain text (escaped again on output), for excerpts."""
    return plain_text(value or "")


@register.filter
def plain_start(value: str, length: int) -> str:
    """``{{ html|plain_start:200|truncatechars:200 }}``: ``plain`` for an excerpt of ``length``
    characters, without cleaning the whole of a long text."""
    return plain_text_start(value or "", int(length))


@register.simple_tag(takes_context=True)
def reaction_bar(context, post) -> SafeString:
    """The reaction bar of a post (``post`` prepared by ``news.selectors.posts_prepare``).

    One form, one button per kind: a plain POST without JavaScript, swapped in
    place by htmx. Built in Python: the feed shows a bar per post and a
    template loop of five buttons costs ten times more. In a skeleton
    (``lib.fragments``) the whole bar is left to each request.
    """
    marker = hole(context, "reactions")
    if marker:
        return marker
    disabled = "" if post.access.can_comment else " disabled"
    buttons = "".join(
        f'<button type="submit" name="kind" value="{button["kind"]}" class="reaction"'
        f' title="{_escaped(button["label"])}"'
        f' aria-pressed="{"true" if button["mine"] else "false"}"{disabled}>'
        f'<span aria-hidden="true">{button["emoji"]}</span>'
        f'<span class="visually-hidden">{_escaped(button["label"])}</span>'
        f"{_count(button['count'])}</button>"
        for button in post.reaction_buttons
    )
    action = url_for_code("news:react", post.code)
    name = _escaped(_("Reactions to the post of"))  # outside the f-string, where makemessages finds it
    return mark_safe(  # noqa: S308 (codes are letters and digits, kinds and emoji constants, the rest escaped)
        f'<form method="post" action="{action}" class="reactions row" id="reactions-{post.code}" hx-post="{action}"'
        f' hx-target="this" hx-swap="outerHTML"'
        # Named after its post (author, date): a page of posts holds one such form per post.
        f' aria-labelledby="reactions-{post.code}-label post-{post.code}-by post-{post.code}-date">'
        f'<span class="visually-hidden" id="reactions-{post.code}-label">{name}</span>'
        f"{csrf_field(context)}"
        f'<input type="hidden" name="next" value="{escape(_here(context))}#post-{post.code}">{buttons}</form>'
    )


@lru_cache(maxsize=64)
def _escaped(label: str) -> str:
    # Reaction labels: a handful of translated strings, escaped once per process.
    return escape(label)


def _count(count: int) -> str:
    return f'<span class="reaction__count">{int(count)}</span>' if count else ""


@register.simple_tag(takes_context=True)
def form_keys(context, form=None) -> SafeString:
    """The hidden fields of a form that publishes: its CSRF token (``{% csrf_token %}``) and a key
    naming this one form, so that sent twice it publishes once.

    ``form`` shown again with errors keeps the key it was sent with (nothing was
    published); any other form gets a new one. Built in Python: the feed has a comment
    form on every card, filled in for each reader.

    In a skeleton (``lib.fragments``) the fields of a form not sent yet are left to each
    request (a token and a key are never shared); a form sent back with errors belongs to
    one reader and fails loudly there, like ``{% csrf_token %}``.
    """
    sent_back = getattr(form, "is_bound", False)  # False: none, or one not sent yet (absent from a skeleton: "")
    if not sent_back:
        marker = hole(context, "form_keys")
        if marker:
            return marker
    request = context.get("request")
    sent = ""
    if sent_back and form.errors and request is not None:
        sent = request.POST.get("submission_key", "")
    key = escape(sent) if sent else os.urandom(16).hex()
    return mark_safe(f'{csrf_field(context)}<input type="hidden" name="submission_key" value="{key}">')  # noqa: S308


@filler("form_keys")
def _fill_form_keys(context, **_) -> str:
    return form_keys(context)


@filler("reactions")
def _fill_reactions(context, **_) -> str:
    return reaction_bar(context, context["post"])


@register.simple_tag(takes_context=True)
def post_actions(context, post) -> str:
    """The reader's actions on ``post`` (``news/_post_actions.html``): nothing, checked in
    Python, for a reader who may not edit, delete nor moderate it (most readers of a feed
    page), outside the post's own page. In a skeleton (``lib.fragments``) left to each request."""
    if recording(context) is not None:
        return hole(context, "post_actions")
    access = post.access
    if not (context.get("all_comments") or access.can_edit or access.can_delete or access.can_moderate):
        return ""
    return _partial("news/_post_actions.html", context)


@register.simple_tag(takes_context=True)
def comment_actions(context, comment) -> str:
    """The reader's links to edit or delete ``comment`` (``news/_comment_actions.html``):
    nothing, checked in Python, for a reader who may do neither (a feed page shows dozens of
    comments). In a skeleton (``lib.fragments``) left to each request."""
    recorder = recording(context)
    if recorder is not None:
        return hole(context, "comment_actions", recorder.bound(context, unbound=False))
    access = comment.access
    if not (access.can_edit or access.can_delete):
        return ""
    return _partial("news/_comment_actions.html", context)


def _partial(template_name: str, context) -> SafeString:
    # Rendered with the page's own context (the reader, the CSRF token, the bound comment).
    return mark_safe(context.template.engine.get_template(template_name).render(context))  # noqa: S308


@filler("post_actions")
def _fill_post_actions(context, **_) -> str:
    return post_actions(context, context["post"])


@filler("comment_actions")
def _fill_comment_actions(context, bound: dict[str, int], bindings, **_) -> str:
    comment = bindings["comment"][bound["comment"]]
    with context.push(comment=comment):
        return comment_actions(context, comment)


# ``{% per_reader %}`` belongs to every app's templates (``terrain`` tags); the card
# templates load it from here too.
register.tag("per_reader", per_reader)


def trix_strings() -> dict[str, str]:
    """The words of the editor's interface (``Trix.config.lang``), translated. Its toolbar is
    written in ``news/_trix_toolbar.html``; these reach what Trix builds itself (an attachment's
    caption, file sizes), should it ever show them."""
    return {
        "attachFiles": _("Attach files"),
        "bold": _("Bold"),
        "bullets": _("Bulleted list"),
        "byte": _("byte"),
        "bytes": _("bytes"),
        "captionPlaceholder": _("Add a caption…"),
        "code": _("Code"),
        "heading1": _("Heading"),
        "indent": _("Increase level"),
        "italic": _("Italic"),
        "link": _("Link"),
        "numbers": _("Numbered list"),
        "outdent": _("Decrease level"),
        "quote": _("Quote"),
        "redo": _("Redo"),
        "remove": _("Remove"),
        "strike": _("Strikethrough"),
        "undo": _("Undo"),
        "unlink": _("Unlink"),
        "url": _("Web address"),
        "urlPlaceholder": _("Enter a web address…"),
        "GB": _("GB"),
        "KB": _("KB"),
        "MB": _("MB"),
        "PB": _("PB"),
        "TB": _("TB"),
    }


@register.simple_tag
def trix_lang() -> SafeString:
    """The editor's words as data (a ``<script type="application/json">``, never run: the
    content security policy allows no inline script); ``composer.js`` hands them to Trix."""
    return json_script(trix_strings(), "trix-lang")


# How wide a post's pictures are shown (``terrain.css``: one picture fills the card; several share
# a grid of at least 8rem columns), for the browser to choose among ``RENDITION_WIDTHS``.
IMAGE_SIZES = {True: "(max-width: 40rem) 100vw, 40rem", False: "(max-width: 40rem) 50vw, 20rem"}


@register.simple_tag
def post_image(picture, *, among: int = 1) -> SafeString:
    """A post's picture (one of ``among``) as ``<img>`` with ``srcset``: a phone gets a copy of the
    width it needs (``news:image?w=``), not the original. The same for every reader (part of the
    card's skeleton)."""
    url = url_for_code("news:image", picture.code)
    widths = [width for width in RENDITION_WIDTHS if width < picture.width]
    size = ""
    sources = ""
    if widths:
        candidates = [f"{url}?w={width} {width}w" for width in widths] + [f"{url} {picture.width}w"]
        sources = f' srcset="{escape(", ".join(candidates))}" sizes="{IMAGE_SIZES[among == 1]}"'
    if picture.width:
        size = f' width="{int(picture.width)}" height="{int(picture.height)}"'
    # The smallest copy that fills a phone's card at two pixels per point, for browsers without srcset.
    src = f"{url}?w={widths[1]}" if len(widths) > 1 else url
    return mark_safe(  # noqa: S308 (every value escaped or a number)
        f'<img src="{escape(src)}"{sources} alt="{escape(picture.alt_text)}"{size} loading="lazy">'
    )
