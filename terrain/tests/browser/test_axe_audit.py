"""The axe-core audit itself: a page a test leaves at once is still checked, with or without JavaScript."""

from __future__ import annotations

import pytest

from terrain.tests.browser.axe import AuditedBrowser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# No language, no title, an image without a description: critical and serious violations.
BROKEN = "<!doctype html><html><body><main><img src='/static/terrain/favicon.svg'></main></body></html>"


def _serve_broken(route):
    route.fulfill(body=BROKEN, content_type="text/html; charset=utf-8")


def test_a_page_left_at_once_is_checked_before_it_goes(chromium, live_server):
    audited = AuditedBrowser(chromium)
    context = audited.new_context()
    context.route("**/broken/", _serve_broken)
    page = context.new_page()
    page.goto(f"{live_server.url}/broken/")
    page.goto(f"{live_server.url}/aide/")  # straight away: leaving waits for the check

    found = {(v.id, v.url.rsplit("/", 2)[-2]) for v in audited.finish()}
    assert {("image-alt", "broken"), ("html-has-lang", "broken"), ("document-title", "broken")} <= found
    assert not [v for v in audited.violations if "/aide/" in v.url]


def test_a_page_without_javascript_is_checked_as_it_was_left(chromium, live_server):
    audited = AuditedBrowser(chromium)
    context = audited.new_context(java_script_enabled=False)
    context.route("**/broken/", _serve_broken)
    context.new_page().goto(f"{live_server.url}/broken/")

    assert "image-alt" in {v.id for v in audited.finish()}
