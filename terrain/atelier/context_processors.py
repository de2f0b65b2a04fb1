"""Whether the main menu shows "Communication": asked only when a page's menu is drawn, with the
rest of the menu (``core.menu``), once per request."""

from __future__ import annotations

from terrain.core.menu import member_fact


def atelier(request) -> dict:
    def has_workshop_role() -> bool:
        return bool(member_fact(request, "workshop_role"))

    return {"has_workshop_role": has_workshop_role}
