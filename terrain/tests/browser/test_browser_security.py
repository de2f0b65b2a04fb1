"""The Content-Security-Policy in a real browser: the pages work and break none of its rules."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every violation of the policy, seen by the page itself (the browser also blocks what it reports).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""

STYLE_HASHES = """async () => {
  const hashes = [];
  for (const style of document.querySelectorAll("style[data-tag-name]")) {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(style.textContent));
    hashes.push("sha256-" + btoa(String.fromCharCode(...new Uint8Array(digest))));
  }
  return hashes;
}"""


def signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    context.add_init_script(WATCH)
    return context.new_page()


def test_the_composer_and_the_feed_work_under_the_policy(world, live_server, laptop):
    page = signed_in(laptop, live_server, world.bob)
    response = page.goto(f"{live_server.url}/actualites/c/{world.open_coop.code}/publier/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy

    # The rich-text editor's own styles are allowed by their hashes, and apply (its dialogs stay hidden).
    page.locator("trix-editor").wait_for()
    trix_hashes = page.evaluate(STYLE_HASHES)
    assert len(trix_hashes) == 2
    assert all(f"'{digest}'" in policy for digest in trix_hashes), trix_hashes
    assert page.evaluate("getComputedStyle(document.querySelector('trix-editor')).display") == "block"
    page.get_by_label("Votre message").click()
    # The brand colour (base.html's <style>) applies.
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()") == "#b3122e"

    # htmx runs without inline styles of its own; the mention suggestions come from the server.
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    page.keyboard.type("Bonjour @ali")
    page.locator("[data-mention-box] button").first.wait_for()
    assert page.evaluate("window.__violations") == []

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []


def test_the_main_pages_break_no_rule_of_the_policy(world, live_server, laptop):
    from django.urls import reverse

    from terrain.news.services import post_create

    post = post_create(cooperative=world.open_coop, author=world.bob, body_html="<p>Bonjour</p>")
    section = world.section.code
    paths = [
        "/",
        reverse("cooperatives:list"),
        reverse("cooperatives:detail", args=[world.open_coop.code]),
        reverse("news:post_detail", args=[post.code]),
        reverse("structures:detail", args=[section]),
        reverse("feed:notifications"),
        reverse("accounts:profile_edit"),
        reverse("relays:home"),
        reverse("relays:report", args=[section]),
        reverse("insights:structure", args=[section]),
        reverse("atelier:dashboard", args=[section]),
        reverse("atelier:calendar", args=[section]),
        reverse("atelier:accounts", args=[section]),
        reverse("atelier:message_new", args=[section]),
        reverse("core:help"),
        "/nulle-part/",
    ]
    page = signed_in(laptop, live_server, world.alice)
    problems = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == (404 if path == "/nulle-part/" else 200), path
        page.wait_for_load_state("networkidle")
        if violations := page.evaluate("window.__violations"):
            problems[path] = violations
    assert problems == {}
