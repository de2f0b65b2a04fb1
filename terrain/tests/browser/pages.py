"""Helpers the browser tests share."""

from __future__ import annotations

from django.test import Client


def signed_in(context, live_server, user):
    """A new page of ``context`` signed in as ``user``: the sign-in form is skipped (tested
    on its own), the browser is handed a session cookie."""
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()
