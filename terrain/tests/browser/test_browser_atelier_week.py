"""The calendar's week view at 1280 px and 360 px: hour rows line up across days, no word is cut."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from terrain.atelier.tests.plan_factories import make_account, make_scheduled
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")

#: For every title word on the page: the number of line boxes it spans (2 or more: cut in two).
CUT_WORDS = """() => {
  const cut = [];
  document.querySelectorAll(".cal-item__title, .cal-day__date, .cal-free").forEach((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        if (tops.size > 1) cut.push(match[0]);
      }
    }
  });
  return cut;
}"""

#: Messages wider than their day's column (a long word pushing out of it).
OVERFLOWING = """() => Array.from(document.querySelectorAll(".cal-item")).filter((item) => {
  const column = item.closest(".cal-col, .cal-day").getBoundingClientRect();
  const box = item.getBoundingClientRect();
  return box.left < column.left - 0.5 || box.right > column.right + 0.5;
}).map((item) => item.textContent.trim().split(/\\s+/).slice(1, 3).join(" "))"""

#: The top of each hour row, per visible day column.
HOUR_TOPS = """() => Array.from(document.querySelectorAll(".cal-col")).map((column) =>
  Array.from(column.querySelectorAll(".cal-hour")).map((row) => Math.round(row.getBoundingClientRect().top)))"""


def _a_busy_week(world) -> date:
    """Next week, with days of different loads: the rows of one hour differ in height from day to day."""
    today = date.today()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    accounts = [
        make_account(world.section, "mastodon", "@section@example.org"),
        make_account(world.section, "bluesky", "section.bsky.social"),
        make_account(world.section, "facebook", "Section Nord"),
    ]
    for day, hour, body in [
        (0, 9, "Permanence syndicale mardi"),
        (0, 9, "Intersyndicale : rassemblement"),
        (0, 12, "Négociations annuelles obligatoires"),
        (2, 10, "Permanence juridique"),
        (3, 9, "Assemblée générale extraordinaire"),
        (4, 18, "Manifestation interprofessionnelle"),
    ]:
        at = datetime.combine(monday + timedelta(days=day), time(hour, 0), tzinfo=PARIS)
        make_scheduled(world.section, at, accounts=accounts, body=body)
    return monday


def test_week_view_on_a_laptop_lines_hours_up_and_cuts_no_word(world, live_server, laptop):
    monday = _a_busy_week(world)
    page = signed_in(laptop, live_server, world.alice)
    page.goto(f"{live_server.url}/atelier/{world.section.code}/calendrier/?vue=semaine&date={monday.isoformat()}")
    assert page.evaluate(CUT_WORDS) == []
    assert page.evaluate(OVERFLOWING) == []
    columns = page.evaluate(HOUR_TOPS)
    assert len(columns) == 7 and len(columns[0]) > 10
    for column in columns[1:]:
        assert column == columns[0]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_week_view_on_a_phone_cuts_no_word_and_does_not_scroll_sideways(world, live_server, phone):
    monday = _a_busy_week(world)
    page = signed_in(phone, live_server, world.alice)
    page.goto(f"{live_server.url}/atelier/{world.section.code}/calendrier/?vue=semaine&date={monday.isoformat()}")
    assert page.evaluate(CUT_WORDS) == []
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
