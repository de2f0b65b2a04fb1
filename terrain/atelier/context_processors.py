"""Whether the main menu shows "Communication": asked only when a page's menu is drawn, once per request."""

from __future__ import annotations


def atelier(request) -> dict:
    def has_workshop_role() -> bool:
        if not hasattr(request, "_has_workshop_role"):
            from terrain.atelier.selectors_plan import has_workshop_role as ask

            request._has_workshop_role = ask(request.user)
        return request._has_workshop_role

    return {"has_workshop_role": has_workshop_role}
