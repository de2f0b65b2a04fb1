"""The workshop calendar in a real browser: drag a message to another day; the week view on a phone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from terrain.atelier.tests.plan_factories import make_account, make_scheduled
from terrain.tests.browser.pages import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PARIS = ZoneInfo("Europe/Paris")


def _next_month() -> date:
    today = date.today()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_drag_a_message_to_another_day_in_the_month_view(world, live_server, laptop):
    month = _next_month()
    start = datetime.combine(month.replace(day=10), time(9, 30), tzinfo=PARIS)
    message = make_scheduled(world.section, start, accounts=[make_account(world.section)], body="Assemblée générale")
    page = signed_in(laptop, live_server, world.alice)
    # Both days on screen: a drag whose target must first be scrolled to is not one a browser
    # runs reliably headless (the header's search box pushed the 12th below an 800 px fold).
    page.set_viewport_size({"width": 1280, "height": 1200})
    url = f"{live_server.url}/atelier/{world.section.code}/calendrier/?vue=mois&date={month.isoformat()}"
    page.goto(url)
    target_day = month.replace(day=12).isoformat()
    # The page posts the move, then reloads itself: wait for the answer and for that reload
    # (reloading from the test raced with both).
    with page.expect_navigation(), page.expect_response(lambda r: r.request.method == "POST") as moved:
        page.drag_and_drop(f"#cal-{message.code}", f'[data-drop-date="{target_day}"]')
    assert moved.value.ok and "/deplacer/" in moved.value.url
    page.locator(f'[data-drop-date="{target_day}"] #cal-{message.code}').wait_for()
    assert page.locator(f'[data-drop-date="{target_day}"] #cal-{message.code} time').inner_text() == "09:30"
    message.refresh_from_db()
    assert message.scheduled_at.astimezone(PARIS) == datetime.combine(month.replace(day=12), time(9, 30), tzinfo=PARIS)


def test_week_view_is_a_list_on_a_phone_and_the_move_form_works_without_a_mouse(world, live_server, phone):
    month = _next_month()
    start = datetime.combine(month.replace(day=10), time(9, 0), tzinfo=PARIS)
    message = make_scheduled(world.section, start, accounts=[make_account(world.section)], body="Permanence")
    page = signed_in(phone, live_server, world.alice)
    page.goto(f"{live_server.url}/atelier/{world.section.code}/calendrier/?vue=semaine&date={start.date().isoformat()}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(f"#cal-{message.code} summary").click()
    page.get_by_label("Nouveau jour").fill(month.replace(day=11).isoformat())
    page.get_by_label("Nouvelle heure").fill("17:45")
    page.get_by_role("button", name="Déplacer", exact=True).click()
    page.get_by_text("Le message est déplacé.").wait_for()
    message.refresh_from_db()
    assert message.scheduled_at.astimezone(PARIS) == datetime.combine(month.replace(day=11), time(17, 45), tzinfo=PARIS)
