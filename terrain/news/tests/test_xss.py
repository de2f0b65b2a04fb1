"""Whatever members write, no script runs in anyone's browser.

Classic cross-site scripting payloads go through every field that holds
member-written text: post bodies and comments through the real views, and the
plain-text converter used for bios and cooperative descriptions. The pages
that show them (the post, its edit form, the activity feed) are parsed as HTML,
and attributes are checked one by one, not by searching substrings.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from terrain.lib.html import RICH_TEXT_TAGS, text_to_html
from terrain.news.models import Post

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)",  # unclosed tag
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="JaVaScRiPt:alert(1)">clic</a>',
    '<a href=" javascript:alert(1)">clic</a>',
    '<a href="jav&#x09;ascript:alert(1)">clic</a>',
    '<a href="jav\tascript:alert(1)">clic</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">clic</a>',
    '<a href="&#0000106avascript:alert(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<a href="https://ok.example/" onmouseover="alert(1)">lien</a>',
    '<a href="x" onclick="alert(1)">x</a>',
    "<a title='x\" onmouseover=\"alert(1)'>x</a>",
    '"><script>alert(1)</script>',  # breaking out of a quoted attribute
    "' onmouseover='alert(1)",
    '<div style="background:url(javascript:alert(1))">fond</div>',
    '<p style="width: expression(alert(1))">ie</p>',
    "<style>body{background:red}</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    '<form action="javascript:alert(1)"><button>envoyer</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div hx-post="/notifications/lues/" hx-trigger="load">htmx</div>',
    'https://evil.example/"><script>alert(1)</script>',
    "http://x.example/?a=<img src=x onerror=alert(1)>",
    "@<script>alert(1)</script>",
]

DANGEROUS_TAGS = {"script", "style", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "svg"}
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# What member-written HTML may contain once sanitised.
USER_ATTRIBUTES = {"href", "title", "rel", "class"}
VOID = {"br", "img", "input", "hr", "meta", "link", "base", "embed", "source", "col", "area", "wbr"}


class SafetyChecker(HTMLParser):
    """Collects every problem in a page's <main>: dangerous tags anywhere, event
    handlers, style attributes, script URLs, and anything but plain formatting
    inside member-written blocks (``post__body``, ``comment__text``)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.in_main = False
        self.user_blocks_seen = 0

    def _in_user_block(self) -> bool:
        return any(is_user for _tag, is_user in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        names = {name for name, _value in attrs}
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        # A script of our static files runs; a JSON data block never does (the editor's words).
        script_allowed = tag == "script" and (
            (attributes.get("src") or "").startswith("/static/") or attributes.get("type") == "application/json"
        )
        if tag in DANGEROUS_TAGS and not script_allowed:
            self.problems.append(f"<{tag}>")
        if tag == "link" and not (attributes.get("href") or "").startswith("/static/"):
            self.problems.append("<link> to elsewhere")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            normalised = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if normalised.startswith(DANGEROUS_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if self._in_user_block():
            if tag not in RICH_TEXT_TAGS:
                self.problems.append(f"<{tag}> in member text")
            extra = names - USER_ATTRIBUTES
            if extra:
                self.problems.append(f"<{tag} {sorted(extra)}> in member text")
            if "class" in names and classes != {"mention"}:
                self.problems.append(f"<{tag} class={attributes['class']!r}> in member text")
        is_user = bool(classes & {"post__body", "comment__text"})
        self.user_blocks_seen += is_user
        if tag not in VOID:
            self.stack.append((tag, is_user))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def problems_in(html: str) -> tuple[list[str], int]:
    checker = SafetyChecker()
    checker.feed(html)
    checker.close()
    return checker.problems, checker.user_blocks_seen


def test_the_checker_catches_what_it_must():
    """Without this, a checker that sees nothing would pass every test below."""
    bad = (
        '<main><div class="post__body"><p onclick="x()">a</p><a href=" jav&#x09;ascript:x()">b</a>'
        '<img src=x></div><script>x()</script><iframe></iframe><p style="a">c</p></main>'
    )
    problems, blocks = problems_in(bad)
    assert blocks == 1
    assert "<p onclick>" in problems and "<script>" in problems and "<iframe>" in problems
    assert "<p style>" in problems and "<img> in member text" in problems
    assert any("ascript" in p for p in problems)
    assert problems_in('<main><script src="/static/vendor/x.js"></script></main>') == ([], 0)
    assert problems_in('<main><script id="d" type="application/json">{}</script></main>') == ([], 0)
    assert "<script>" in problems_in('<main><script type="module">x()</script></main>')[0]


def test_payloads_in_posts_and_comments_are_harmless_on_every_page(world, alice_client, bob_client, settings):
    settings.FEED_PAGE_SIZE = 200
    for payload in PAYLOADS:
        response = alice_client.post(
            reverse("news:post_create", args=[world.open_coop.code]), {"body": f"<div>Texte {payload}</div>"}
        )
        assert response.status_code == 302, payload
    posts = list(Post.objects.order_by("id"))
    assert len(posts) == len(PAYLOADS)
    # Plain-text fields (what a browser without JavaScript sends) go through the same views.
    alice_client.post(reverse("news:post_create", args=[world.open_coop.code]), {"body": "\n".join(PAYLOADS)})
    target = posts[0]
    for payload in PAYLOADS:
        response = bob_client.post(reverse("news:comment_create", args=[target.code]), {"text": payload})
        assert response.status_code == 302, payload

    everything = alice_client.get(reverse("feed:home"))
    # A page of only the comments: their post's card is older, so they come in one card of their own.
    settings.FEED_PAGE_SIZE = len(PAYLOADS)
    pages = {
        "post detail": bob_client.get(reverse("news:post_detail", args=[target.code])),
        "alice's feed": everything,
        "alice's comments": alice_client.get(reverse("feed:home")),
        "bob's feed": bob_client.get(reverse("feed:home")),
        "edit form": alice_client.get(reverse("news:post_edit", args=[posts[5].code])),
    }
    pages.update({f"post {i}": bob_client.get(reverse("news:post_detail", args=[p.code])) for i, p in enumerate(posts)})
    for name, response in pages.items():
        assert response.status_code == 200, name
        problems, blocks = problems_in(response.content.decode())
        assert problems == [], f"{name}: {problems}"
        if name != "edit form":
            assert blocks, f"{name}: no member text found, the check proved nothing"
    # Alice's feed shows every post, and bob's comments (she follows her post) joined in one card.
    feed = pages["alice's feed"].content.decode()
    assert feed.count('class="card post') == len(PAYLOADS) + 1
    comments = pages["alice's comments"].content.decode()
    assert comments.count('class="card feed-item"') == 1
    assert comments.count("comment__text") >= len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_fields_are_escaped(payload):
    """Bios and cooperative descriptions go through ``text_to_html``."""
    html = text_to_html(f"Présentation\n\n{payload}")
    problems, _blocks = problems_in(f'<main><div class="comment__text">{html}</div></main>')
    assert problems == []
    # Nothing is lost either: the words are shown, as text.
    assert "Présentation" in html


def test_text_stored_before_a_stricter_rule_is_cleaned_again_when_shown(world, bob_client):
    """Sanitised on the way in *and* on the way out: old rows written under a looser
    allow-list (or by a bug, or an import) are safe too."""
    from terrain.news.models import Comment

    raw = "<div>Ancien " + "".join(PAYLOADS) + "</div>"
    post = Post.objects.create(cooperative=world.private_coop, author=world.alice, body_html=raw)
    Comment.objects.create(post=post, author=world.alice, body_html=raw)

    response = bob_client.get(reverse("news:post_detail", args=[post.code]))

    problems, blocks = problems_in(response.content.decode())
    assert problems == []
    assert blocks == 2
