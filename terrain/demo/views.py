"""The "bac à sable" page: what the demo's local sandbox of the networks received.

Managers of the structure (and staff) only: it shows the structure's accounts that
point at the sandbox and publish, and for each one the posts its local server holds (the
sandbox's mailbox publishes nothing: what it holds is read by the inbox). It is labelled
as a local sandbox everywhere: nothing there was seen on the real network.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from terrain.atelier.models import ConnectedAccount
from terrain.demo import sandbox
from terrain.demo.access import get_sandbox_for
from terrain.lib.http import personal_data
from terrain.networks.registry import get_connector


@require_GET
@login_required
@personal_data
def sandbox_page(request: HttpRequest, structure_code: str) -> HttpResponse:
    structure = get_sandbox_for(request, structure_code)
    accounts = [
        account
        for account in ConnectedAccount.objects.filter(structure=structure).exclude(
            status=ConnectedAccount.Status.DISCONNECTED
        )
        if sandbox.is_sandbox_address(account.api_base) and get_connector(account.network).can_publish
    ]
    networks = [
        {
            "account": account,
            "posts": sandbox.received(
                network=account.network, api_base=account.api_base, handle=account.handle, remote_id=account.remote_id
            ),
        }
        for account in accounts
    ]
    return render(request, "demo/sandbox.html", {"structure": structure, "networks": networks})
