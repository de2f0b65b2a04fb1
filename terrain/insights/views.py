from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from terrain.insights.links import is_web_url, link_click_record
from terrain.insights.models import TrackedLink
from terrain.lib.codes import looks_like_code


@never_cache
@require_safe
def link_follow(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Public: count the click (no address, no referrer kept) and go to the link."""
    if not looks_like_code(code):
        raise Http404
    link = TrackedLink.objects.filter(code=code).first()
    # Never an open redirect to a script or a file: only web addresses leave.
    if link is None or not is_web_url(link.url):
        raise Http404
    if request.method == "GET":  # link previews send HEAD: not a click
        link_click_record(link=link)
    response = HttpResponseRedirect(link.url)
    response["Referrer-Policy"] = "no-referrer"
    return response
