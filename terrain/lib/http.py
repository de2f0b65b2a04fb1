"""Small helpers shared by views."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str) -> str:
    """Where to go back after an action: ``next`` (POST, then GET) when it stays on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def error_text(error: ValidationError) -> str:
    """A service's ValidationError as one sentence for a flash message."""
    return " ".join(error.messages)


def personal_data(view):
    """For a page that lists members or shows personal data: ``Cache-Control: private, no-store``.

    No shared cache may keep it, and the browser does not store it either (a
    shared computer's history, a back button after signing out). Union
    membership is special-category data. ``core/tests/test_personal_pages.py``
    lists the views that must carry it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # ``private`` replaces a ``public`` the view may have set; ``no-store`` makes any max-age moot.
        patch_cache_control(response, private=True, no_store=True)
        return response

    wrapper.personal_data = True
    return wrapper
