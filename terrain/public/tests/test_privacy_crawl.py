"""The public face never shows anything of a cooperative.

The whole demonstration world is built (private and open cooperatives full of posts,
comments, forum topics, library files), then every public page reachable from the
sitemap and the sites' links is read as an anonymous visitor: none may carry a word
of what the cooperatives hold. Tools that add public pages are crawled too, through
their links and sitemap entries, without being listed here.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest

from terrain.demo.world import build_demo_world
from terrain.forum.models import Topic
from terrain.lib.html import plain_text
from terrain.library.models import File
from terrain.news.models import Comment, Post
from terrain.public.models import Site, SiteDocument

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
LOC = re.compile(r"<loc>([^<]+)</loc>")
#: Public address spaces: the sites, and the instance-wide public pages tools add.
PUBLIC_PREFIXES = ("/s/", "/trouver/", "/agenda/", "/adherer/")
MAX_PAGES = 400


def _markers() -> set[str]:
    """Distinctive pieces of what the cooperatives hold (long enough not to occur by chance)."""
    texts = [plain_text(html) for html in Post.objects.values_list("body_html", flat=True)]
    texts += [plain_text(html) for html in Comment.objects.values_list("body_html", flat=True)]
    texts += list(Topic.objects.values_list("title", flat=True))
    # A file its officials put on the site on purpose is public: its name may show.
    texts += list(File.objects.exclude(pk__in=SiteDocument.objects.values("file_id")).values_list("name", flat=True))
    markers = set()
    for text in texts:
        text = " ".join(text.split())
        if len(text) >= 24:
            markers.add(text[:40])
    return markers


def _crawl(client, start: list[str]) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        # A file (a public document) is what its officials chose to publish: its pages are read, not it.
        readable = response.status_code == 200 and not response.streaming
        body = response.content.decode(errors="replace") if readable else ""
        seen[path] = body
        for link in HREF.findall(body) + LOC.findall(body):
            parts = urlsplit(unescape(link))
            if parts.netloc and parts.netloc not in ("testserver", urlsplit("http://127.0.0.1:8000").netloc):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(PUBLIC_PREFIXES) and target not in seen:
                queue.append(target)
    return seen


def test_no_public_page_shows_anything_of_a_cooperative(client, settings):
    settings.SITE_URL = "http://testserver"
    build_demo_world()
    markers = _markers()
    assert len(markers) > 50  # the world is full of private content
    sites = list(Site.objects.filter(published=True).values_list("slug", flat=True))
    assert sites
    pages = _crawl(client, ["/sitemap.xml", *(f"/s/{slug}/" for slug in sites)])
    assert len(pages) > len(sites)
    assert any("/documents/" in path for path in pages)  # the public documents were crawled too
    for path, body in pages.items():
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())
        leaked = [marker for marker in markers if marker in text]
        assert not leaked, (path, leaked[:3])
