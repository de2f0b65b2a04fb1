"""Connected accounts of a structure: list, connect (OAuth, app password, bot token), check, disconnect.

Managers only. Secrets are typed in, checked with the network, stored encrypted
and never shown again. An OAuth flow keeps its ``state`` in the session and the
callback accepts only a state it issued, for the structure it was issued for; what
it keeps beside it (the app's secret, a person's token while they choose a Page) is
sealed (``terrain.lib.sealed``) and refused after :data:`OAUTH_MAX_AGE`.

A server address typed by a member is reached through ``terrain.lib.outbound`` (in
the connector); whatever goes wrong there, the page says one and the same sentence.
Networks whose site-wide app is not set up are not offered.
"""

from __future__ import annotations

import secrets as pysecrets
import time
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from terrain.atelier.access import get_account_for, get_atelier_for
from terrain.atelier.account_facts import account_facts
from terrain.atelier.message_selectors import publishes
from terrain.atelier.models import ConnectedAccount
from terrain.atelier.services.accounts import account_check, account_connect, account_disconnect
from terrain.lib.sealed import seal, unseal
from terrain.networks.base import AccountData, AuthError, ConnectorError, TransientError
from terrain.networks.registry import available_kinds, get_connector

SESSION_KEY = "atelier_oauth"
CHOICE_KEY = "atelier_page_choice"
OAUTH_MAX_AGE = 15 * 60  # seconds a started connection may take
# The app's client secret and a person's user token wait in the session between two
# requests: sealed (encrypted, refused after OAUTH_MAX_AGE), never in clear in django_session.
SEAL_CLIENT = "atelier.oauth.client"
SEAL_CHOICE = "atelier.oauth.choice"
CONNECTABLE_FLOWS = ("oauth", "app_password", "bot_token", "imap")


class InstanceForm(forms.Form):
    api_base = forms.URLField(
        assume_scheme="https",
        label=gettext_lazy("Address of the server"),
        help_text=gettext_lazy("For example https://mastodon.social: the server where the account lives."),
        max_length=200,
    )

    def clean_api_base(self) -> str:
        url = self.cleaned_data["api_base"].rstrip("/")
        parts = urlsplit(url)
        allow_http = settings.DEBUG or getattr(settings, "ATELIER_ALLOW_HTTP_SERVERS", False)
        if parts.scheme != "https" and not (allow_http and parts.scheme == "http"):
            raise forms.ValidationError(_("The address must start with https://."))
        if parts.path not in ("", "/") or parts.query or parts.username:
            raise forms.ValidationError(_("Give only the address of the server, without a page."))
        return url


class AppPasswordForm(forms.Form):
    handle = forms.CharField(
        label=gettext_lazy("Account name"),
        help_text=gettext_lazy("For example syndicat.bsky.social"),
        max_length=200,
    )
    app_password = forms.CharField(
        label=gettext_lazy("App password"),
        help_text=gettext_lazy(
            "Create one in the network's settings, under “App passwords”; never your main password."
        ),
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )


class BotTokenForm(forms.Form):
    bot_token = forms.CharField(
        label=gettext_lazy("Bot token"),
        help_text=gettext_lazy(
            "Given by @BotFather when you create the bot. Create one for Terrain alone, without a webhook:"
            " Terrain reads its updates to check that a post went out."
        ),
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )
    channel = forms.CharField(
        label=gettext_lazy("Channel"),
        help_text=gettext_lazy("Its public name (@channel) or its number; the bot must be an administrator of it."),
        max_length=200,
    )


class MailboxForm(forms.Form):
    """A structure's e-mail address, read over IMAP (the inbox) and answered through Terrain."""

    address = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        help_text=gettext_lazy("The structure's address, for example contact@syndicat.example"),
        max_length=200,
    )
    host = forms.CharField(
        label=gettext_lazy("Mail server (IMAP)"),
        help_text=gettext_lazy("Given by the mail provider, for example imap.example.org"),
        max_length=200,
    )
    port = forms.IntegerField(label=gettext_lazy("Port"), initial=993, min_value=1, max_value=65535)
    security = forms.ChoiceField(
        label=gettext_lazy("Security"),
        choices=[
            ("ssl", gettext_lazy("TLS (usually port 993)")),
            ("starttls", gettext_lazy("STARTTLS (usually port 143)")),
        ],
        initial="ssl",
    )
    username = forms.CharField(
        label=gettext_lazy("User name"),
        help_text=gettext_lazy("Leave empty when it is the address itself."),
        max_length=200,
        required=False,
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        help_text=gettext_lazy("Where the provider offers them, an application password made for Terrain."),
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
    )

    def clean_host(self) -> str:
        host = self.cleaned_data["host"].strip().lower()
        if not host or any(c in host for c in "/:@ ") or host.startswith("."):
            raise forms.ValidationError(_("Give only the name of the server, for example imap.example.org."))
        return host

    def secrets(self) -> dict:
        data = self.cleaned_data
        return {
            "address": data["address"],
            "host": data["host"],
            "port": data["port"],
            "security": data["security"],
            "username": data["username"].strip() or data["address"],
            "password": data["password"],
        }


FORMS = {"oauth": InstanceForm, "app_password": AppPasswordForm, "bot_token": BotTokenForm, "imap": MailboxForm}


def _connector_or_404(network: str):
    if network not in available_kinds():
        raise Http404
    connector = get_connector(network)
    if connector.auth_flow not in CONNECTABLE_FLOWS:
        raise Http404
    return connector


def per_server(connector) -> bool:
    """A network of many servers (Mastodon): the account's server is asked, and the app registered there.

    A connector says so with ``asks_server = True``; Mastodon does by default.
    """
    return bool(getattr(connector, "asks_server", connector.kind == "mastodon"))


def _failure(connector, error: ConnectorError) -> str:
    """What a manager reads when connecting failed: what happened, in words, and what to do."""
    names = {"network": connector.label, "error": error.message}
    if isinstance(error, TransientError):
        return (
            _(
                "%(network)s did not answer. Try again in a few minutes;"
                " if it keeps failing, tell the site's administrator."
            )
            % names
        )
    if isinstance(error, AuthError):
        return _("%(network)s refused the connection: %(error)s") % names
    return _("The connection to %(network)s failed: %(error)s") % names


def _server_failure(connector) -> str:
    """The one answer when registering on a server a member typed failed, whatever the reason:
    telling a closed port from an open one, or a private address from a public one, would
    let anyone map the networks the server can reach."""
    return _(
        "Terrain could not register with this server. Check that the address is that of a %(network)s server"
        " (for example %(example)s), or try again later."
    ) % {"network": connector.label, "example": connector.default_api_base}


def _not_set_up(request: HttpRequest, connector) -> str:
    if request.user.is_staff or request.user.is_superuser:
        return _(
            "%(network)s is not set up on this site yet: set %(settings)s (see “Connecting networks” in the README)."
        ) % {"network": connector.label, "settings": ", ".join(connector.setup_settings)}
    return _(
        "%(network)s is not set up on this site yet: the site's administrator must first register Terrain with it."
    ) % {"network": connector.label}


def _redirect_uri(network: str) -> str:
    return f"{settings.SITE_URL}{reverse('atelier:account_oauth_callback', args=[network])}"


def _accounts_page(structure) -> HttpResponse:
    return redirect("atelier:accounts", structure.code)


@login_required
@require_GET
def accounts(request: HttpRequest, structure_code: str) -> HttpResponse:
    access = get_atelier_for(request, structure_code, need="manage")
    rows = list(
        ConnectedAccount.objects.filter(structure=access.structure).exclude(status=ConnectedAccount.Status.DISCONNECTED)
    )
    facts = account_facts(rows)  # what other apps say of each (the inbox: when it last read it)
    for row in rows:
        row.publishes = publishes(row)  # the sandbox's page lists what was published, nothing else
        row.facts = facts[row.pk]
        row.reconnect = row.status != ConnectedAccount.Status.ACTIVE or any(fact.reconnect for fact in row.facts)
    networks, not_set_up = [], []
    for kind in available_kinds():
        connector = get_connector(kind)
        if connector.auth_flow in CONNECTABLE_FLOWS:
            if connector.is_configured():
                networks.append((kind, connector.label))
            else:
                not_set_up.append(_not_set_up(request, connector))
    return render(
        request,
        "atelier/accounts/list.html",
        {
            "structure": access.structure,
            "accounts": rows,
            "networks": networks,
            "not_set_up": not_set_up,
            "nav": "atelier",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_connect_start(request: HttpRequest, structure_code: str, network: str) -> HttpResponse:
    access = get_atelier_for(request, structure_code, need="manage")
    connector = _connector_or_404(network)
    structure = access.structure
    if not connector.is_configured():
        messages.error(request, _not_set_up(request, connector))
        return _accounts_page(structure)
    form_class = FORMS[connector.auth_flow]
    # OAuth networks with one address (Facebook, LinkedIn, X) need no form: straight to the network.
    needs_form = connector.auth_flow != "oauth" or per_server(connector)
    form = form_class(request.POST or None) if needs_form else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if connector.auth_flow == "oauth":
                api_base = form.cleaned_data["api_base"] if form is not None else connector.api_base(None)
                return _oauth_start(request, structure=structure, network=network, api_base=api_base)
            if connector.auth_flow == "app_password":
                api_base = connector.api_base(None)
                secrets = {
                    "identifier": form.cleaned_data["handle"].strip().lstrip("@"),
                    "app_password": form.cleaned_data["app_password"].strip(),
                }
            elif connector.auth_flow == "imap":
                api_base = ""
                secrets = form.secrets()
            else:
                api_base = connector.api_base(None)
                secrets = {
                    "bot_token": form.cleaned_data["bot_token"].strip(),
                    "chat_id": form.cleaned_data["channel"].strip(),
                }
            handle = secrets.get("identifier") or secrets.get("address", "")
            data = AccountData(api_base=api_base, secrets=secrets, handle=handle)
            info = connector.validate_credentials(data)
            account = account_connect(
                structure=structure,
                network=network,
                api_base="",  # the network's own address
                secrets=data.secrets,
                info=info,
                by=request.user,
            )
        except ConnectorError as error:
            text = _server_failure(connector) if connector.auth_flow == "oauth" and per_server(connector) else None
            if form is None:
                messages.error(request, text or _failure(connector, error))
                return _accounts_page(structure)
            form.add_error(None, text or _failure(connector, error))
        else:
            messages.success(request, _("%(account)s is connected.") % {"account": account})
            return _accounts_page(structure)
    return render(
        request,
        "atelier/accounts/connect.html",
        {"structure": structure, "form": form, "network": network, "connector": connector, "nav": "atelier"},
    )


def _oauth_start(request: HttpRequest, *, structure, network: str, api_base: str) -> HttpResponse:
    connector = get_connector(network)
    redirect_uri = _redirect_uri(network)
    client = connector.register_client(api_base=api_base, redirect_uri=redirect_uri)
    state = pysecrets.token_urlsafe(24)
    pending = _pending(request)
    pending[state] = {
        "structure": structure.code,
        "network": network,
        "api_base": api_base,
        "client": seal(client, purpose=SEAL_CLIENT),
        "started": time.time(),
    }
    request.session[SESSION_KEY] = pending
    return redirect(
        connector.authorization_url(api_base=api_base, redirect_uri=redirect_uri, state=state, client=client)
    )


def _pending(request: HttpRequest) -> dict:
    """The connections this session started and that may still finish (older ones are dropped)."""
    return {
        key: value
        for key, value in request.session.get(SESSION_KEY, {}).items()
        if isinstance(value, dict) and value.get("started", 0) > time.time() - OAUTH_MAX_AGE
    }


@login_required
@require_GET
def account_oauth_callback(request: HttpRequest, network: str) -> HttpResponse:
    """Where the network sends the browser back; accepts only a state this session started."""
    pending = _pending(request)
    state = request.GET.get("state", "")
    flow = pending.pop(state, None) if state else None
    request.session[SESSION_KEY] = pending
    if flow is None or flow["network"] != network:
        raise Http404
    client = unseal(flow["client"], purpose=SEAL_CLIENT, max_age=OAUTH_MAX_AGE)
    if client is None:
        raise Http404
    access = get_atelier_for(request, flow["structure"], need="manage")
    connector = _connector_or_404(network)
    code = request.GET.get("code", "")
    if not code:
        messages.error(request, _("The connection was not authorised on the network."))
        return _accounts_page(access.structure)
    api_base = flow["api_base"]
    redirect_uri = _redirect_uri(network)
    try:
        secrets = connector.exchange_code(api_base=api_base, code=code, redirect_uri=redirect_uri, client=client)
        # A person who runs several Pages (Facebook, Instagram, LinkedIn) chooses the one to publish for.
        pages = (
            connector.list_pages(secrets.get("access_token", ""), api_base=api_base) if _has_pages(connector) else []
        )
        if len(pages) > 1:
            return _choice_start(request, flow=flow, secrets=secrets, pages=pages)
        if pages:  # the only one: take it now rather than have the connector list the pages again
            secrets = connector.page_secrets(secrets, pages[0].remote_id, api_base=api_base)
        data = AccountData(api_base=api_base, secrets=secrets)
        info = connector.validate_credentials(data)
    except ConnectorError as error:
        messages.error(request, _failure(connector, error))
        return _accounts_page(access.structure)
    account = account_connect(
        structure=access.structure,
        network=network,
        api_base=api_base if per_server(connector) else "",
        secrets=data.secrets,
        info=info,
        by=request.user,
    )
    messages.success(request, _("%(account)s is connected.") % {"account": account})
    return _accounts_page(access.structure)


def _has_pages(connector) -> bool:
    return callable(getattr(connector, "list_pages", None)) and callable(getattr(connector, "page_secrets", None))


def _choice_start(request: HttpRequest, *, flow: dict, secrets: dict, pages: list) -> HttpResponse:
    """Keep the person's token server-side (in the session, for a few minutes) while they choose a Page."""
    token = pysecrets.token_urlsafe(24)
    request.session[CHOICE_KEY] = {
        token: {
            "structure": flow["structure"],
            "network": flow["network"],
            "api_base": flow["api_base"],
            "secrets": seal(secrets, purpose=SEAL_CHOICE),
            "pages": [[page.remote_id, page.display_name or page.handle] for page in pages],
            "started": time.time(),
        }
    }
    return redirect("atelier:account_choose", token)


@login_required
@require_http_methods(["GET", "POST"])
def account_choose(request: HttpRequest, token: str) -> HttpResponse:
    """Which of the person's Pages (or organisations) the structure publishes for."""
    choice = request.session.get(CHOICE_KEY, {}).get(token)
    if choice is None or choice["started"] < time.time() - OAUTH_MAX_AGE:
        request.session.pop(CHOICE_KEY, None)
        raise Http404
    person_secrets = unseal(choice["secrets"], purpose=SEAL_CHOICE, max_age=OAUTH_MAX_AGE)
    if person_secrets is None:
        request.session.pop(CHOICE_KEY, None)
        raise Http404
    access = get_atelier_for(request, choice["structure"], need="manage")
    connector = _connector_or_404(choice["network"])
    pages = dict(choice["pages"])
    error = ""
    if request.method == "POST":
        page_id = request.POST.get("page", "")
        if page_id not in pages:
            error = _("Choose one of the pages.")
        else:
            api_base = choice["api_base"]
            try:
                secrets = connector.page_secrets(person_secrets, page_id, api_base=api_base)
                data = AccountData(api_base=api_base, secrets=secrets)
                info = connector.validate_credentials(data)
            except ConnectorError as failure:
                error = _failure(connector, failure)
            else:
                account = account_connect(
                    structure=access.structure,
                    network=choice["network"],
                    api_base="",
                    secrets=data.secrets,
                    info=info,
                    by=request.user,
                )
                request.session.pop(CHOICE_KEY, None)
                messages.success(request, _("%(account)s is connected.") % {"account": account})
                return _accounts_page(access.structure)
    return render(
        request,
        "atelier/accounts/choose.html",
        {
            "structure": access.structure,
            "connector": connector,
            "pages": choice["pages"],
            "error": error,
            "nav": "atelier",
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def account_disconnect_view(request: HttpRequest, code: str) -> HttpResponse:
    account, access = get_account_for(request, code, need="manage")
    account_disconnect(account=account, by=request.user)
    messages.success(request, _("%(account)s is disconnected; its secrets are deleted.") % {"account": account})
    return _accounts_page(access.structure)


@login_required
@require_POST
def account_check_view(request: HttpRequest, code: str) -> HttpResponse:
    account, access = get_account_for(request, code, need="manage")
    if account_check(account=account):
        messages.success(request, _("%(account)s works.") % {"account": account})
    else:
        account.refresh_from_db()
        messages.error(
            request,
            _("%(account)s must be reconnected: %(reason)s")
            % {"account": account, "reason": account.status_detail or _("the network did not answer")},
        )
    return _accounts_page(access.structure)
