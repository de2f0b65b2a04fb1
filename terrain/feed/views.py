"""The activity feed, its settings, and the notifications.

Cursors in ``?avant=`` / ``?apres=`` are signed (``lib.cursor``): activity and
notification ids never appear in a URL, and a forged cursor reads as none.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.cooperatives.access import get_cooperative_for
from terrain.core.menu import member_fact
from terrain.feed.items import targets_load
from terrain.feed.models import Notification
from terrain.feed.selectors import (
    feed_memberships,
    feed_page,
    notifications_for,
)
from terrain.feed.services import membership_set_muted, notifications_mark_read
from terrain.feed.templatetags.feed import badge_for
from terrain.lib.codes import looks_like_code
from terrain.lib.cursor import decode_cursor, encode_cursor
from terrain.lib.http import safe_next_url

FILTER_SELECT_MAX = 30


def _filter_cooperative(request: HttpRequest):
    """The cooperative chosen in ``?cooperative=``, checked: the viewer must be able to read it."""
    code = request.GET.get("cooperative") or ""
    if not code:
        return None
    return get_cooperative_for(request, code, need="read").cooperative


def _feed_context(request: HttpRequest, page, cooperative) -> dict:
    return {
        "page": page,
        "cooperative": cooperative,
        "older_cursor": encode_cursor(page.last_id) if page.has_more and page.last_id else "",
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The activity feed: news, comments on followed posts and new members of my cooperatives."""
    cooperative = _filter_cooperative(request)
    before = decode_cursor(request.GET.get("avant"))
    page = feed_page(user=request.user, cooperative=cooperative, before=before)
    memberships = page.memberships
    context = _feed_context(request, page, cooperative)
    # A page further down the feed is static: new items arrive only at the top.
    context["live"] = before is None
    # Without any item yet, the poller still needs a starting point: everything after "nothing".
    context["newest_cursor"] = encode_cursor(page.first_id or 0)
    context["memberships"] = memberships
    # A select of a few dozen names helps; past that, on a phone, a list page does better
    # (and the feed page stays light for members of two hundred cooperatives).
    context["filter_choices"] = memberships if len(memberships) <= FILTER_SELECT_MAX else None
    context["nav"] = "feed"
    return render(request, "feed/home.html", context)


@login_required
@require_GET
def page(request: HttpRequest) -> HttpResponse:
    """The next (older) page of the feed, for infinite scroll."""
    cooperative = _filter_cooperative(request)
    before = decode_cursor(request.GET.get("avant"))
    if before is None:
        return HttpResponse(status=400)
    feed = feed_page(user=request.user, cooperative=cooperative, before=before)
    return render(request, "feed/_items.html", _feed_context(request, feed, cooperative))


@login_required
@require_GET
def new(request: HttpRequest) -> HttpResponse:
    """Items newer than ``apres``, prepended by the open feed; 204 when there are none.

    The answer also replaces the poller (out of band) so that its next request
    starts after the newest item shown.
    """
    cooperative = _filter_cooperative(request)
    after = decode_cursor(request.GET.get("apres"))
    if after is None:
        return HttpResponse(status=400)
    feed = feed_page(user=request.user, cooperative=cooperative, after=after)
    if not feed.items:
        return HttpResponse(status=204)
    return render(
        request,
        "feed/_new_items.html",
        {
            "page": feed,
            "cooperative": cooperative,
            "newest_cursor": encode_cursor(feed.first_id),
            "count": len(feed.items),
        },
    )


@login_required
@require_GET
def settings_view(request: HttpRequest) -> HttpResponse:
    """My cooperatives, each with a switch to mute it in my feed."""
    return render(request, "feed/settings.html", {"memberships": feed_memberships(user=request.user), "nav": "feed"})


@login_required
@require_POST
def mute(request: HttpRequest, code: str) -> HttpResponse:
    """Mute or unmute a cooperative in my feed (``muted`` = 1 or 0; toggles without it)."""
    access = get_cooperative_for(request, code, need="read")
    membership = access.membership
    wanted = request.POST.get("muted")
    muted = (wanted == "1") if wanted in ("0", "1") else not membership.muted
    membership_set_muted(membership=membership, muted=muted)
    name = access.cooperative.name
    said = (
        _("%(name)s is muted: it no longer appears in your feed.") % {"name": name}
        if muted
        else _("%(name)s appears in your feed again.") % {"name": name}
    )
    if request.htmx:
        return render(request, "feed/_mute_row.html", {"membership": membership, "announce": said})
    messages.success(request, said)
    return redirect(safe_next_url(request, reverse("feed:settings")))


# --- Notifications ---------------------------------------------------------------


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    rows, has_more = notifications_for(user=request.user, before=decode_cursor(request.GET.get("avant")))
    return render(
        request,
        "feed/notifications.html",
        {
            "notifications": rows,
            "older_cursor": encode_cursor(rows[-1].pk) if has_more and rows else "",
            "is_older_page": bool(request.GET.get("avant")),
            "has_unread": member_fact(request, "unread") > 0,
            "nav": "notifications",
        },
    )


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("feed:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_open(request: HttpRequest, code: str) -> HttpResponse:
    """Mark one of my notifications read and go to what it is about."""
    if not looks_like_code(code):
        raise Http404
    notifications = Notification.objects.select_related("activity", "cooperative")
    notification = notifications.filter(user=request.user, code=code).first()
    if notification is None:
        raise Http404
    if notification.activity is not None:
        targets_load([notification.activity], user=request.user, cards=False)
    notifications_mark_read(user=request.user, codes=[notification.code])
    return redirect(notification_target(notification))


def notification_target(notification: Notification) -> str:
    """Where a notification leads: the post (at the comment), the members' page, the cooperative."""
    if notification.target_url.startswith("/") and not notification.target_url.startswith("//"):
        return notification.target_url
    activity = notification.activity
    kind = activity.kind if activity is not None else None
    if kind is not None and kind.url is not None and (kind.model is None or getattr(activity, "target", None)):
        return kind.url(activity)
    cooperative = notification.cooperative
    if cooperative is not None:
        if notification.reason == Notification.Reason.JOIN_REQUEST:
            return reverse("cooperatives:members", args=[cooperative.code])
        return reverse("cooperatives:detail", args=[cooperative.code])
    return reverse("feed:notifications")


@login_required
@require_GET
def badge(request: HttpRequest) -> HttpResponse:
    """The unread-notifications badge, polled by every page."""
    return HttpResponse(badge_for(request))
