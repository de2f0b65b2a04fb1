"""Public pages of the petitions, on their structure's site: read, sign, confirm, embed.

Reading pages are the same for every visitor (``public_page``: cacheable, no cookie,
no CSRF token). Signing is an anonymous POST without CSRF token (``csrf_exempt``): it
stores nothing that counts until the e-mail's link confirms it, so there is nothing
for a forged request to gain; a hidden field catches robots and a limit per client
slows floods. No answer says whether an address has signed already.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from terrain.lib.http import personal_data, protected_file
from terrain.networks.registry import share_targets
from terrain.networks.sharing import ShareText
from terrain.petitions import services
from terrain.petitions.access import get_public_petition
from terrain.petitions.forms import SignatureForm
from terrain.petitions.models import Petition
from terrain.petitions.selectors import public_comments, public_petitions
from terrain.petitions.tokens import signature_from_confirm_token, signature_from_withdraw_token
from terrain.public import throttle
from terrain.public.access import get_public_site
from terrain.public.http import embeddable, public_page
from terrain.public.views import site_context

PER_PAGE = 12


def petition_url(site, petition: Petition) -> str:
    return settings.SITE_URL + reverse("petitions_public:detail", args=[site.slug, petition.code])


def share_kit(site, petition: Petition) -> dict:
    """Links that open each network's composer with the petition, and a text to copy anywhere."""
    url = petition_url(site, petition)
    share = ShareText(
        line=_("I signed this petition: sign it too!"), body=petition.title, url=url, subject=petition.title
    )
    links = []
    for target in share_targets():
        address = target.link.url(share)
        if address:
            links.append({"label": target.label, "url": address})
    text = _("Sign the petition “%(title)s”: %(url)s") % {"title": petition.title, "url": url}
    return {"share_links": links, "share_text": text, "petition_url": url}


def _detail_context(site, petition: Petition, form: SignatureForm) -> dict:
    return {
        **site_context(site, "petitions"),
        **share_kit(site, petition),
        "petition": petition,
        "form": form,
        "comments": public_comments(petition),
        "retention_days": settings.PETITION_RETENTION_DAYS,
    }


@require_safe
@public_page
def petition_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    page = Paginator(public_petitions(site.structure), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "petitions/public_list.html", {**site_context(site, "petitions"), "page": page})


@require_safe
@public_page
def detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site, petition = get_public_petition(slug, code)
    return render(request, "petitions/public_detail.html", _detail_context(site, petition, SignatureForm()))


@csrf_exempt  # anonymous and harmless until the e-mail's link confirms it (see the module's docstring)
@personal_data  # an answer may repeat what the visitor typed
@require_POST
def sign(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site, petition = get_public_petition(slug, code)
    if not throttle.allow(
        request, scope="petition-sign", limit=settings.PETITION_SIGN_LIMIT, seconds=settings.PETITION_SIGN_WINDOW
    ):
        services.submission_refused_throttled(petition=petition)
        context = _detail_context(site, petition, SignatureForm(request.POST))
        context["throttled"] = True
        return render(request, "petitions/public_detail.html", context, status=429)
    form = SignatureForm(request.POST)
    # Signed, signed again, or a robot: the same answer (see the next page), so nobody learns
    # whether an address has signed. A redirection, not a page: the POST renders nothing, the
    # page after it is the same for everyone (cacheable), and reloading it sends nothing again.
    thanks = redirect("petitions_public:thanks", site.slug, petition.code)
    if form.is_valid() and form.cleaned_data["website"]:
        services.submission_refused_robot(petition=petition)  # nothing stored but the count
        return thanks
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.signature_request(
                petition=petition,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                postal_code=data["postal_code"],
                comment=data["comment"],
                show_name=data["show_name"],
                language=get_language() or "fr",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return thanks
    return render(request, "petitions/public_detail.html", _detail_context(site, petition, form), status=400)


@require_safe
@public_page
def thanks(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """After signing: check your e-mail. The same page for everyone, whatever was sent."""
    site, petition = get_public_petition(slug, code)
    context = {**site_context(site, "petitions"), **share_kit(site, petition), "petition": petition}
    return render(request, "petitions/signed.html", context)


@personal_data
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, slug: str, code: str, token: str) -> HttpResponse:
    """The e-mail's link. GET shows a button (mail scanners open links), POST confirms."""
    site, petition = get_public_petition(slug, code)
    context = {**site_context(site, "petitions"), "petition": petition}
    signature = signature_from_confirm_token(token, petition=petition)
    if signature is None:
        return render(request, "petitions/link_invalid.html", context, status=404)
    if request.method == "POST":
        try:
            services.signature_confirm(signature=signature)
        except ValidationError:
            return render(request, "petitions/link_invalid.html", {**context, "closed": True}, status=400)
        petition.refresh_from_db(fields=["signature_count"])
        return render(request, "petitions/confirmed.html", {**context, **share_kit(site, petition)})
    return render(request, "petitions/confirm.html", {**context, "done": signature.confirmed_at is not None})


@personal_data
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, code: str, token: str) -> HttpResponse:
    """The e-mail's other link: erase the signature (GET shows a button, POST erases)."""
    site, petition = get_public_petition(slug, code)
    context = {**site_context(site, "petitions"), "petition": petition}
    signature = signature_from_withdraw_token(token, petition=petition)
    if request.method == "POST" and signature is not None:
        services.signature_withdraw(signature=signature)
        return render(request, "petitions/withdrawn.html", context)
    if signature is None:
        # Withdrawn already, or purged: either way nothing of it is left.
        return render(request, "petitions/withdrawn.html", context, status=404 if request.method == "GET" else 200)
    return render(request, "petitions/withdraw.html", context)


@require_safe
@embeddable
@public_page
def counter(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A tiny page to put in an ``<iframe>`` on another site: the counter and a link to sign."""
    site, petition = get_public_petition(slug, code)
    return render(request, "petitions/counter.html", {"site": site, "petition": petition, **share_kit(site, petition)})


def counter_snippet(site, petition: Petition) -> str:
    """The ``<iframe>`` an official copies onto another site."""
    src = settings.SITE_URL + reverse("petitions_public:counter", args=[site.slug, petition.code])
    title = _("Signature counter: %(title)s") % {"title": petition.title}
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="320" height="180" '
        f'loading="lazy" referrerpolicy="no-referrer"></iframe>'
    )


@require_safe
def image(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The petition's image, for its page, its summary and the social card (uploads are never served directly)."""
    _site, petition = get_public_petition(slug, code)
    return protected_file(
        request, petition.image, max_age=settings.PUBLIC_PAGE_MAX_AGE, width=request.GET.get("w"), public=True
    )
