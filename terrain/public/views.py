"""A structure's public site: pages anyone reads without signing in.

Every view takes the site through :func:`terrain.public.access.get_public_site` (a 404
unless it is published) and answers through :func:`terrain.public.http.public_page`
(the same page for everyone, cacheable). No JavaScript, no cookie, no third-party
request is needed to read them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from terrain.lib.codes import looks_like_code
from terrain.lib.html import text_to_html
from terrain.lib.http import protected_file
from terrain.public import registry
from terrain.public.access import get_public_site
from terrain.public.documents import documents_of
from terrain.public.http import public_page
from terrain.public.models import Site
from terrain.public.selectors import published_sites, site_posts

POSTS_PER_PAGE = 12
FEED_SIZE = 30


def _menu(site: Site, current: str = "") -> list[dict]:
    entries = []
    for section in registry.sections():
        if not section.url_name or not section.in_menu(site):
            continue
        try:
            url = reverse(section.url_name, args=[site.slug])
        except NoReverseMatch:
            continue
        entries.append({"key": section.key, "label": section.label, "url": url, "current": section.key == current})
    return entries


def site_context(site: Site, current: str = "") -> dict:
    """What every page of a site needs (its layout ``public/base.html``): tools' views call it too."""
    return {"site": site, "structure": site.structure, "site_menu": _menu(site, current)}


@require_safe
@public_page
def home(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    blocks = []
    for section in registry.sections():
        if not section.home_template:
            continue
        extra = section.home_context(site)
        if extra:
            blocks.append({"template": section.home_template, "context": extra, "key": section.key})
    return render(request, "public/home.html", {**site_context(site), "blocks": blocks})


@require_safe
@public_page
def posts(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    page = Paginator(site_posts(site), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "public/posts.html", {**site_context(site, "news"), "page": page})


@require_safe
@public_page
def post(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    site = get_public_site(slug)
    found = site_posts(site).filter(code=code).first() if looks_like_code(code) else None
    if found is None:
        raise Http404
    return render(request, "public/post.html", {**site_context(site, "news"), "post": found})


@require_safe
@public_page
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    site = get_public_site(slug)
    return render(
        request, "public/documents.html", {**site_context(site, "documents"), "documents": documents_of(site)}
    )


@require_safe
def document_download(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A public document's current version, as an attachment (counted nowhere: visitors are anonymous)."""
    site = get_public_site(slug)
    found = documents_of(site).filter(code=code).first() if looks_like_code(code) else None
    if found is None:
        raise Http404
    version = found.file.current_version
    response = protected_file(request, version.blob, max_age=settings.PUBLIC_PAGE_MAX_AGE, public=True)
    response["Content-Type"] = version.mime_type
    if response.status_code in (200, 206):
        extension = version.blob.name.rsplit(".", 1)[-1]
        name = found.title if found.title.lower().endswith(f".{extension}") else f"{found.title}.{extension}"
        response.headers["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@require_safe
def logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The site's logo (uploads are never served directly: the site must be published)."""
    site = get_public_site(slug)
    return protected_file(
        request, site.logo, max_age=settings.PUBLIC_PAGE_MAX_AGE, width=request.GET.get("w"), public=True
    )


@require_safe
def post_image(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """A news item's image, for its page and the social card networks fetch."""
    site = get_public_site(slug)
    found = site_posts(site).filter(code=code).first() if looks_like_code(code) else None
    if found is None:
        raise Http404
    return protected_file(
        request, found.image, max_age=settings.PUBLIC_PAGE_MAX_AGE, width=request.GET.get("w"), public=True
    )


@require_safe
@public_page
def theme(request: HttpRequest, slug: str) -> HttpResponse:
    """The site's colour as a style sheet (the Content-Security-Policy refuses inline styles)."""
    site = get_public_site(slug)
    colour = site.colour or settings.BRAND_COLOR
    return HttpResponse(f":root {{ --site: {colour}; }}\n", content_type="text/css; charset=utf-8")


@require_safe
@public_page
def feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The Atom feed of the site: its news and what the tools publish there (petitions, events...)."""
    site = get_public_site(slug)
    base = settings.SITE_URL
    self_url = base + reverse("public:feed", args=[site.slug])
    items = [item for section in registry.sections() for item in section.feed(site)]
    items.sort(key=lambda item: item.published_at, reverse=True)
    atom = Atom1Feed(
        title=site.structure.name,
        link=base + reverse("public:home", args=[site.slug]),
        description=site.tagline,
        language=settings.LANGUAGE_CODE,
        feed_url=self_url,
        feed_guid=self_url,
    )
    for item in items[:FEED_SIZE]:
        atom.add_item(
            title=item.title,
            link=base + item.path,
            description=text_to_html(item.text),
            unique_id=f"{self_url}#{item.unique_id}",
            unique_id_is_permalink=False,
            pubdate=item.published_at,
            updateddate=item.published_at,
        )
    return HttpResponse(atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_safe
@public_page
def sitemap(request: HttpRequest) -> HttpResponse:
    """Every public page of every published site (sitemaps.org)."""
    base = settings.SITE_URL
    urls = []
    for site in published_sites():
        urls.append({"loc": base + reverse("public:home", args=[site.slug]), "lastmod": site.updated_at})
        for section in registry.sections():
            urls.extend({"loc": base + entry.path, "lastmod": entry.lastmod} for entry in section.sitemap(site))
    return render(request, "public/sitemap.xml", {"urls": urls}, content_type="application/xml; charset=utf-8")
