"""Every response carries a Content-Security-Policy without inline scripts; an HTTPS instance
redirects to HTTPS and sends HSTS; ``check --deploy`` finds nothing to say in production."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from terrain.core.middleware import ContentSecurityPolicyMiddleware, content_security_policy

ROOT = Path(__file__).resolve().parents[3]


def _directives(policy: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


@pytest.mark.django_db
def test_every_response_forbids_inline_scripts(world):
    signed_in = Client()
    signed_in.force_login(world.bob)
    pages = [(Client(), "/compte/connexion/"), (signed_in, "/"), (Client(), "/nulle-part/"), (Client(), "/sante/")]
    for client, path in pages:
        policy = _directives(client.get(path)["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], path
        assert policy["script-src"] == ["'self'"], path
        assert "'unsafe-inline'" not in policy["style-src"]
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_brand_colour_style_of_every_page_is_allowed_by_its_hash(settings, world):
    settings.BRAND_COLOR = "#1d6f42"
    client = Client()
    client.force_login(world.bob)
    page = client.get("/")
    styles = re.findall(r"<style>(.*?)</style>", page.content.decode(), re.S)
    assert styles == [":root { --brand: #1d6f42; }"]
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in _directives(page["Content-Security-Policy"])["style-src"]


def test_no_template_carries_an_inline_script_handler_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=", re.I)
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "email" in path.parts:  # e-mails are read in mail programs, not under the site's policy
            continue
        lines = enumerate(path.read_text().splitlines(), 1)
        found += [f"{path.relative_to(ROOT)}:{n}" for n, line in lines if inline.search(line)]
    assert found == []


def test_the_logo_s_site_may_serve_pictures(settings):
    settings.BRAND_LOGO_URL = "https://cdn.union.example/logo.svg"
    settings.CSP_IMG_SOURCES = ["https://images.example"]
    images = _directives(content_security_policy())["img-src"]
    assert "https://cdn.union.example" in images
    assert "https://images.example" in images
    assert "'self'" in images


def test_django_s_debug_page_for_a_server_error_keeps_its_inline_script(settings, rf):
    from django.http import HttpResponse, HttpResponseServerError

    settings.DEBUG = True
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponseServerError("debug"))
    assert "Content-Security-Policy" not in middleware(rf.get("/"))
    assert "Content-Security-Policy" in ContentSecurityPolicyMiddleware(lambda request: HttpResponse())(rf.get("/"))


def _production(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests' conftest allows async-unsafe calls for Playwright; production never does.
    unwanted = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={
            **clean,
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "terrain.settings",
            "SECRET_KEY": "x" * 20 + "K7#mQ9@vL2$wR5!tY8&uP3*zN6^bC1%d",
            "ALLOWED_HOSTS": "terrain.example.org",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_for_an_https_instance(tmp_path):
    result = _production(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        SITE_URL="https://terrain.example.org", TERRAIN_VAR_DIR=str(tmp_path),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_https_instance_redirects_to_https_and_sends_hsts(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/compte/langue/', HTTP_HOST='terrain.example.org');"
        "print(r.status_code, r['Location']);"
        "r = Client().get('/compte/langue/', HTTP_HOST='terrain.example.org', secure=True);"
        "print(r.status_code, r['Strict-Transport-Security']);"
        "r = Client().get('/sante/', HTTP_HOST='terrain.example.org');"
        "print(r.status_code)"
    )
    result = _production("-c", script, SITE_URL="https://terrain.example.org", TERRAIN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    redirect, served, health = result.stdout.splitlines()
    assert redirect == "301 https://terrain.example.org/compte/langue/"
    assert served == "405 max-age=31536000; includeSubDomains"
    assert health == "200"  # a proxy's health check over plain HTTP is answered


def test_a_local_instance_neither_redirects_nor_sends_hsts(tmp_path):
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/compte/langue/', HTTP_HOST='terrain.example.org');"
        "print(r.status_code, r.has_header('Strict-Transport-Security'))"
    )
    result = _production("-c", script, SITE_URL="http://127.0.0.1:8000", TERRAIN_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["405", "False"]
