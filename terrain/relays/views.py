"""Relais militants: follow a structure's posts and share them on one's own accounts.

Every page needs a signed-in member: the list shows only one's own structures;
a relay page goes through ``get_relay_message_for`` (404 unless a member of the
message's structure, and unless published); the report needs a manager.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from terrain.insights.links import is_web_url, link_tracked_for_relay
from terrain.lib.http import protected_file
from terrain.networks import registry
from terrain.relays import services
from terrain.relays.access import get_relay_message_for
from terrain.relays.forms import PersonalLineForm, RelayProfileForm, SubscriptionForm
from terrain.relays.models import RelaySubscription
from terrain.relays.selectors import (
    public_links_of,
    recent_messages_with_counts,
    relay_counts,
    relay_profile_of,
    structures_to_follow,
)
from terrain.relays.sharing import ShareText, share_target
from terrain.structures.access import get_structure_for


class _ShareRedirect(HttpResponseRedirect):
    allowed_schemes = ["http", "https", "mailto"]


@login_required
@require_GET
def relay_home(request: HttpRequest) -> HttpResponse:
    profile = relay_profile_of(request.user)
    return render(
        request,
        "relays/home.html",
        {
            "structures": structures_to_follow(request.user),
            "modes": RelaySubscription.Mode.choices,
            "profile_form": RelayProfileForm(
                initial={"mastodon_instance": profile.mastodon_instance, "personal_line": profile.personal_line}
            ),
            "nav": "relays",
        },
    )


def _member_structure(request: HttpRequest, code: str):
    access = get_structure_for(request, code)
    if not access.is_member:  # officials above see the structure but are not among its militants
        raise Http404
    return access.structure


@login_required
@require_POST
def relay_subscribe_view(request: HttpRequest, code: str) -> HttpResponse:
    structure = _member_structure(request, code)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        services.relay_subscribe(user=request.user, structure=structure, mode=form.cleaned_data["mode"])
        messages.success(request, _("You follow the relays of %(name)s.") % {"name": structure.name})
    else:
        messages.error(request, _("Choose how to hear of a new post."))
    return redirect("relays:home")


@login_required
@require_POST
def relay_unsubscribe_view(request: HttpRequest, code: str) -> HttpResponse:
    structure = _member_structure(request, code)
    services.relay_unsubscribe(user=request.user, structure=structure)
    messages.success(request, _("You no longer follow the relays of %(name)s.") % {"name": structure.name})
    return redirect("relays:home")


@login_required
@require_POST
def relay_profile_view(request: HttpRequest) -> HttpResponse:
    form = RelayProfileForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "relays/home.html",
            {
                "structures": structures_to_follow(request.user),
                "modes": RelaySubscription.Mode.choices,
                "profile_form": form,
                "nav": "relays",
            },
            status=400,
        )
    services.relay_profile_update(user=request.user, **form.cleaned_data)
    messages.success(request, _("Your accounts are saved."))
    return redirect("relays:home")


def _share_text(message, line: str) -> ShareText:
    links = public_links_of(message)
    url = link_tracked_for_relay(message=message, url=message.link) if is_web_url(message.link) else ""
    if not url and links:
        url = links[0].page_url
    return ShareText(line=line, body=message.body, url=url, subject=message.title)


def _labelled(counts: dict[str, int]) -> list[tuple[str, int]]:
    labels = dict(registry.share_choices())
    return [(labels.get(network, network), n) for network, n in counts.items()]


def _line_from(data, default: str) -> str:
    form = PersonalLineForm(data)
    if "ligne" in data and form.is_valid():
        return form.cleaned_data["ligne"]
    return default


@login_required
@require_GET
def relay_message(request: HttpRequest, code: str) -> HttpResponse:
    message, access = get_relay_message_for(request, code)
    profile = relay_profile_of(request.user)
    line = _line_from(request.GET, profile.personal_line)
    share = _share_text(message, line)
    networks = [
        {
            "network": network,
            "label": label,
            "available": bool(share_target(network, share, mastodon_instance=profile.mastodon_instance)),
            "action": reverse("relays:share", args=[message.code, network]),
        }
        for network, label in registry.share_choices()
    ]
    return render(
        request,
        "relays/message.html",
        {
            "message": message,
            "message_link": message.link if is_web_url(message.link) else "",
            "structure": message.structure,
            "images": list(message.images.all()),
            "public_links": public_links_of(message),
            "networks": networks,
            "line_form": PersonalLineForm(initial={"ligne": line}),
            "line": line,
            "profile": profile,
            "counts": _labelled(relay_counts(message)) if access.can_manage else None,
            "nav": "relays",
        },
    )


@login_required
@require_POST
@never_cache
def relay_share(request: HttpRequest, code: str, network: str) -> HttpResponse:
    """Count the share (once per member and network), then open the network's composer.

    A POST from the relay page's form (with its CSRF token): a link or a form on
    another site cannot count a share in a member's name, nor put its own words
    in their composer as their personal line.
    """
    message, _access = get_relay_message_for(request, code)
    if registry.share_target(network) is None:
        raise Http404
    profile = relay_profile_of(request.user)
    share = _share_text(message, _line_from(request.POST, profile.personal_line))
    target = share_target(network, share, mastodon_instance=profile.mastodon_instance)
    if not target:
        messages.error(request, _("This network needs your account or a link to share: see your accounts."))
        return redirect("relays:message", message.code)
    services.relay_record(message=message, user=request.user, network=network)
    return _ShareRedirect(target)


@login_required
@require_GET
def relay_image(request: HttpRequest, code: str, image_code: str) -> HttpResponse:
    """An image of the post, for those who may see its relay page only."""
    message, _access = get_relay_message_for(request, code)
    picture = message.images.filter(code=image_code).first()
    if picture is None:
        raise Http404
    return protected_file(request, picture.image, max_age=24 * 3600)


@login_required
@require_GET
def relay_report(request: HttpRequest, code: str) -> HttpResponse:
    """For managers: how many relayed each recent post, per network."""
    access = get_structure_for(request, code, need="manage")
    return render(
        request,
        "relays/report.html",
        {
            "structure": access.structure,
            # Not "messages": that name is the flash messages' (base.html shows each as a banner).
            "posts": recent_messages_with_counts(access.structure),
            "networks": registry.share_choices(),
            "subscribers": RelaySubscription.objects.filter(structure=access.structure).count(),
            "nav": "relays",
        },
    )
