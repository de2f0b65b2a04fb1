"""Keyboard and screen reader use of in-place updates, the focus ring on the brand colour,
and no sideways scrolling at 360 px with very long names."""

from __future__ import annotations

import re

import pytest

from terrain.atelier.tests.plan_factories import make_account
from terrain.cooperatives.services import membership_add
from terrain.news.services import comment_create, post_create
from terrain.newsletter.channels import NEWSLETTER
from terrain.newsletter.models import Subscriber
from terrain.newsletter.services import channel_enable
from terrain.tests.browser.pages import signed_in
from terrain.tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = "() => { const e = document.activeElement; return e ? e.outerHTML.slice(0, 200) : ''; }"
LIVE_TEXT = "document.getElementById('live-status').textContent"
LIVE = f"() => {LIVE_TEXT}"


def test_reacting_with_the_keyboard_keeps_the_focus_and_says_what_happened(world, live_server, phone):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion jeudi</p>")
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + "/")
    like = page.locator(f'#reactions-{post.code} button[value="like"]')
    like.focus()
    page.keyboard.press("Enter")
    page.locator(f'#reactions-{post.code} button[value="like"][aria-pressed="true"]').wait_for()
    page.wait_for_function(f"() => {LIVE_TEXT}.includes('ajoutée')")

    # The button is a new one (the bar was swapped): the focus moved onto it.
    assert page.evaluate(f"document.activeElement.matches('#reactions-{post.code} button[value=like]')")
    assert page.evaluate(LIVE) == "Votre réaction « J'aime » est ajoutée."
    assert page.locator("[data-announce]").count() == 0

    page.keyboard.press("Enter")
    page.locator(f'#reactions-{post.code} button[value="like"][aria-pressed="false"]').wait_for()
    page.wait_for_function(f"() => {LIVE_TEXT}.includes('retirée')")
    assert page.evaluate(f"document.activeElement.matches('#reactions-{post.code} button[value=like]')")


def test_commenting_and_muting_keep_the_focus_in_place(world, live_server, phone):
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion jeudi</p>")
    page = signed_in(phone, live_server, world.bob)
    page.goto(live_server.url + "/")
    page.locator(f"#comment-text-{post.code}").focus()
    page.keyboard.type("J'y serai")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator(f"#comments-{post.code}").get_by_text("J'y serai").wait_for()
    page.wait_for_function(f"() => {LIVE_TEXT} !== ''")
    assert page.evaluate(LIVE) == "Votre commentaire est publié."
    assert page.evaluate(f"!!document.activeElement.closest('#comment-form-{post.code}')"), page.evaluate(FOCUSED)

    page.goto(live_server.url + "/fil/reglages/")
    row = f"#mute-{world.open_coop.code}"
    page.locator(f"{row} button").focus()
    page.keyboard.press("Enter")
    page.locator(f'{row} button[aria-pressed="true"]').wait_for()
    page.wait_for_function(f"() => {LIVE_TEXT} !== ''")
    assert page.evaluate(f"document.activeElement.matches('{row} button')"), page.evaluate(FOCUSED)
    assert world.open_coop.name in page.evaluate(LIVE)


def _luminance(colour: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"[\d.]+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


RING = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {outline: s.outlineColor, width: s.outlineWidth, shadow: s.boxShadow,
          background: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
          inHeader: !!e.closest('.site-header')};
}"""


@pytest.mark.parametrize("brand", ["#b3122e", "#1d4ed8", "#ffd500", "#111111", "#ffffff", "#2e7d32"])
def test_the_focus_ring_stands_out_on_any_brand_colour_in_the_header(world, live_server, laptop, brand):
    page = signed_in(laptop, live_server, world.bob)
    page.goto(live_server.url + "/")
    page.evaluate(f"document.documentElement.style.setProperty('--brand', '{brand}')")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the name of the site, in the header
    ring = page.evaluate(RING)
    assert ring["inHeader"] and ring["width"] != "0px", ring
    shadow = re.match(r"rgba?\([^)]*\)", ring["shadow"] or "")
    colours = [ring["outline"]] + ([shadow.group(0)] if shadow else [])
    assert max(_contrast(colour, ring["background"]) for colour in colours) >= 3, ring
    # The header's own text on that colour is the instance's choice, not checked here.
    page.evaluate("document.documentElement.style.removeProperty('--brand')")


LONG = "syndicat-des-travailleuses-et-travailleurs-de-la-sante-et-de-l-action-sociale"


def test_nothing_scrolls_sideways_at_360_px_with_very_long_names(world, live_server, phone):
    section = world.section
    # A member and a connected account with very long names, without a single space.
    long_member = make_user(LONG.replace("-", ""), handle=LONG[:40])
    membership_add(cooperative=world.open_coop, user=long_member)
    post = post_create(cooperative=world.open_coop, author=world.alice, body_html="<p>Réunion jeudi</p>")
    comment_create(post=post, author=long_member, text=f"Bonjour @{world.alice.handle} " + LONG)
    make_account(section, network="mastodon", handle=f"@{LONG}@{LONG}.example.org")
    make_account(section, network="bluesky", handle=f"{LONG}.bsky.social")
    channel_enable(structure=section, network=NEWSLETTER, by=world.alice)
    Subscriber.objects.create(structure=section, email=f"{LONG}@example.org", status="confirmed")
    page = signed_in(phone, live_server, world.alice)
    wide = {}
    for path in (
        "/",
        f"/actualites/{post.code}/",
        "/notifications/",
        f"/atelier/{section.code}/",
        f"/atelier/{section.code}/comptes/",
        f"/atelier/{section.code}/messages/nouveau/",
        f"/lettre/{section.code}/abonne-es/",
    ):
        assert page.goto(live_server.url + path).status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[path] = (width, page.evaluate(WIDEST))
    assert not wide, wide


WIDEST = """() => [...document.querySelectorAll('main *')]
  .filter(e => e.getBoundingClientRect().right > 361)
  .map(e => e.tagName + '.' + e.className).slice(-3)"""
