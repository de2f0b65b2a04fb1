from __future__ import annotations

from django.urls import reverse, set_script_prefix

from terrain.lib.urls import url_for_code, url_named


def test_url_for_code_matches_reverse():
    for name in ("news:post_detail", "news:image", "accounts:profile", "cooperatives:detail"):
        assert url_for_code(name, "abcdefghjkmnpq") == reverse(name, args=["abcdefghjkmnpq"])


def test_url_for_code_follows_the_script_prefix():
    try:
        set_script_prefix("/terrain/")
        assert url_for_code("news:post_detail", "abc") == "/terrain/actualites/abc/"
    finally:
        set_script_prefix("/")
    assert url_for_code("news:post_detail", "abc") == "/actualites/abc/"


def test_url_named_matches_reverse_and_follows_the_script_prefix():
    for name in ("feed:home", "feed:notifications", "accounts:logout", "accounts:set_language"):
        assert url_named(name) == reverse(name)
    try:
        set_script_prefix("/terrain/")
        assert url_named("feed:home") == "/terrain/"
    finally:
        set_script_prefix("/")
    assert url_named("feed:home") == "/"
