"""A structure's site on a domain of its own (``Site.custom_domain``).

The instance's administrator lists the domains it serves for sites in
``PUBLIC_SITE_DOMAINS`` (they are then allowed hosts). A request for one of them is looked
up among the sites' domains: ``https://syndicat-exemple.fr/``
then shows ``/s/<slug>/``, and so do all its pages (``/actualites/`` as well as the
instance's ``/s/<slug>/actualites/`` links). Nothing else of the instance answers on such
a domain: no sign-in, no member page. Static files are served before this middleware.

Any other host is the instance itself, and costs no query here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import Http404
from django.urls import get_script_prefix, reverse

from terrain.public.models import Site


def _path_of(name: str, *args) -> str:
    """The path (as ``request.path_info`` has it, without the script prefix) of a named URL."""
    return "/" + reverse(name, args=args).removeprefix(get_script_prefix())


class SiteDomainMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.domains = frozenset(settings.PUBLIC_SITE_DOMAINS)

    def __call__(self, request):
        if not self.domains:
            return self.get_response(request)
        try:
            host = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400 itself further on
        if host not in self.domains:
            return self.get_response(request)
        found = Site.objects.filter(custom_domain=host).values_list("slug", "published").first()
        if found is None:
            raise Http404  # a domain set up for a site that no longer claims it
        slug, published = found
        if not published:
            raise Http404
        prefix = _path_of("public:home", slug)
        sites = prefix.removesuffix(f"{slug}/")
        path = request.path_info
        if path == _path_of("sitemap") or path.startswith(settings.STATIC_URL) or path.startswith(prefix):
            pass
        elif path.startswith(sites):
            raise Http404  # another site's pages are not served on this one's domain
        else:
            request.path_info = prefix + path.lstrip("/")
        request.site_domain = host
        return self.get_response(request)
