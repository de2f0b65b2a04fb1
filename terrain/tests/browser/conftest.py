"""Playwright driving Debian's chromium (never a downloaded browser).

Every context a test opens (through `phone`, `laptop` or `browser.new_context`) is
audited by axe-core (see axe.py): a critical or serious violation on any page the
test visits fails it.
"""

from __future__ import annotations

import os
import shutil

import pytest

from terrain.tests.browser.axe import AuditedBrowser, violations_report

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser(chromium):
    """The browser, whose contexts check every page they show with axe-core."""
    audited = AuditedBrowser(chromium)
    yield audited
    violations = audited.finish()
    if violations:
        pytest.fail(violations_report(violations), pytrace=False)


@pytest.fixture
def phone(browser):
    """A 360 px wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="fr-FR")
    yield context
    context.close()


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    yield context
    context.close()


def sign_in(page, live_server_url: str, email: str, password: str) -> None:
    page.goto(f"{live_server_url}/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server_url}/")
