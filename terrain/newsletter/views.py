"""The newsletter and feed of a structure: public pages, and the managers' page.

Public pages (subscribe, confirm, unsubscribe, the Atom feed) exist only while a
manager has the channel enabled; otherwise they are a 404 and say nothing about
the structure. They never say whether an address is subscribed.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.atelier.access import get_atelier_for
from terrain.atelier.models import Message
from terrain.insights.links import is_web_url
from terrain.lib.codes import looks_like_code
from terrain.lib.html import text_to_html
from terrain.lib.http import personal_data
from terrain.lib.text import shorten
from terrain.newsletter import services
from terrain.newsletter.channels import FEED, NEWSLETTER
from terrain.newsletter.channels.feed import entry_url
from terrain.newsletter.forms import RemoveForm, SubscribeForm
from terrain.newsletter.models import FeedEntry, Subscriber

FEED_SIZE = 30


def _public_structure(code: str, network: str):
    if not looks_like_code(code):
        raise Http404
    structure = services.enabled_structure(code=code, network=network)
    if structure is None:
        raise Http404
    return structure


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest, code: str) -> HttpResponse:
    """Public: ask for the newsletter. The answer is the same whatever the address's state."""
    structure = _public_structure(code, NEWSLETTER)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.cleaned_data["website"]:
            services.subscriber_request(
                structure=structure, email=form.cleaned_data["email"], language=get_language() or "fr"
            )
        return render(request, "newsletter/subscribe_sent.html", {"structure": structure})
    return render(
        request,
        "newsletter/subscribe.html",
        {
            "structure": structure,
            "form": form,
            "feed_enabled": services.channel_enabled(structure=structure, network=FEED),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link of the confirmation e-mail. GET shows a button (mail scanners open links), POST confirms."""
    subscriber = services.subscriber_from_confirm_token(token)
    if subscriber is None or not services.channel_enabled(structure=subscriber.structure, network=NEWSLETTER):
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        return render(request, "newsletter/confirmed.html", {"structure": subscriber.structure})
    return render(request, "newsletter/confirm.html", {"structure": subscriber.structure})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Public: one click (GET shows the button, POST unsubscribes, from the page or from the mail client)."""
    subscriber = services.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "newsletter/unsubscribed.html", {"structure": subscriber.structure})
    return render(request, "newsletter/unsubscribe.html", {"structure": subscriber.structure})


def _published_entries(structure):
    return FeedEntry.objects.filter(
        structure=structure, message__structure=structure, message__status=Message.Status.PUBLISHED
    )


@require_GET
def entry(request: HttpRequest, code: str, entry: str) -> HttpResponse:
    """Public: one entry of the feed as a page to read and share (the feed shows it to anyone already)."""
    structure = _public_structure(code, FEED)
    found = _published_entries(structure).filter(code=entry).first() if looks_like_code(entry) else None
    if found is None:
        raise Http404
    return render(
        request,
        "newsletter/entry.html",
        {
            "structure": structure,
            "entry": found,
            "link": found.link if is_web_url(found.link) else "",
            "newsletter_enabled": services.channel_enabled(structure=structure, network=NEWSLETTER),
        },
    )


@require_GET
def feed(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the Atom feed of the structure's published messages sent to its feed."""
    structure = _public_structure(code, FEED)
    entries = list(_published_entries(structure).order_by("-published_at", "-id")[:FEED_SIZE])
    self_url = settings.SITE_URL + reverse("newsletter:feed", args=[structure.code])
    atom = Atom1Feed(
        title=structure.name,
        link=settings.SITE_URL + reverse("newsletter:subscribe", args=[structure.code])
        if services.channel_enabled(structure=structure, network=NEWSLETTER)
        else self_url,
        description=structure.description,
        language=settings.LANGUAGE_CODE,
        feed_url=self_url,
        feed_guid=self_url,
    )
    for entry in entries:
        atom.add_item(
            title=entry.title or shorten(entry.text, 80),
            link=entry_url(entry, structure),
            description=text_to_html(entry.text),
            unique_id=f"{self_url}#{entry.code}",
            unique_id_is_permalink=False,
            pubdate=entry.published_at,
            updateddate=entry.published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    atom.write(response, "utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _manage_context(access) -> dict:
    structure = access.structure
    return {
        "structure": structure,
        "counts": services.subscriber_counts(structure),
        "newsletter_enabled": services.channel_enabled(structure=structure, network=NEWSLETTER),
        "feed_enabled": services.channel_enabled(structure=structure, network=FEED),
        "subscribe_url": settings.SITE_URL + reverse("newsletter:subscribe", args=[structure.code]),
        "feed_url": settings.SITE_URL + reverse("newsletter:feed", args=[structure.code]),
        "remove_form": RemoveForm(),
        "statuses": Subscriber.Status,
    }


@personal_data
@login_required
@require_GET
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """Managers: how many subscribers (never the list of addresses), open or close the channels."""
    access = get_atelier_for(request, code, need="manage")
    return render(request, "newsletter/manage.html", _manage_context(access))


@login_required
@require_POST
def channel_toggle(request: HttpRequest, code: str, network: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    if network not in (NEWSLETTER, FEED):
        raise Http404
    if request.POST.get("enable") == "1":
        services.channel_enable(structure=access.structure, network=network, by=request.user)
        messages.success(request, _("It is open: share its address."))
    else:
        services.channel_disable(structure=access.structure, network=network, by=request.user)
        messages.success(request, _("It is closed: its public page no longer exists."))
    return redirect("newsletter:manage", access.structure.code)


@personal_data
@login_required
@require_POST
def subscriber_remove(request: HttpRequest, code: str) -> HttpResponse:
    access = get_atelier_for(request, code, need="manage")
    form = RemoveForm(request.POST)
    if not form.is_valid():
        context = _manage_context(access)
        context["remove_form"] = form
        return render(request, "newsletter/manage.html", context, status=400)
    services.subscriber_remove(structure=access.structure, email=form.cleaned_data["email"])
    # The same answer whether or not the address was subscribed: managers see counts, never who.
    messages.success(request, _("If this address was subscribed, it is removed: it will receive nothing more."))
    return redirect("newsletter:manage", access.structure.code)
