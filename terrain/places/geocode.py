"""Where a site is, from its postal code and town: the locator places it there.

Used by :func:`terrain.public.services.site_save` when an official gives no position.
Without the communes loaded (``manage.py load_communes``) nothing can be checked: the
site is simply left without a position.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from terrain.places.models import Commune
from terrain.places.text import search_key


class PlaceNotFound(Exception):
    """The postal code and town match no commune; ``field`` says which one to correct."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.message, self.field = message, field


def _matches(commune: Commune, key: str) -> bool:
    return key in (commune.key, commune.bare_key) or commune.key.startswith(key + " ")


def locate(*, postal_code: str = "", commune: str = "") -> tuple[float, float] | None:
    """(latitude, longitude) of the town at this postal code; None when nothing is given or loaded.

    Raises :class:`PlaceNotFound` when the dataset is loaded and the postal code does not
    exist, or serves no town of that name (the town alone: no town of that name).
    """
    postal_code, key = (postal_code or "").strip(), search_key(commune)
    if not (postal_code or key) or not Commune.objects.exists():
        return None
    if postal_code:
        serving = list(Commune.objects.filter(postal_code_rows__code=postal_code).order_by("-population"))
        if not serving:
            raise PlaceNotFound(
                _("No town has the postal code %(code)s: check it.") % {"code": postal_code}, field="postal_code"
            )
        if key:
            named = [c for c in serving if _matches(c, key)]
            if not named:
                raise PlaceNotFound(
                    _("The postal code %(code)s serves %(towns)s, not “%(town)s”: check the town or the code.")
                    % {"code": postal_code, "towns": ", ".join(c.name for c in serving[:5]), "town": commune},
                    field="commune",
                )
            serving = named
        found = serving[0]
    else:
        found = (
            Commune.objects.filter(key=key).order_by("-population").first()
            or Commune.objects.filter(bare_key=key).order_by("-population").first()
        )
        if found is None:
            raise PlaceNotFound(
                _("No town is called “%(town)s”: check its spelling.") % {"town": commune}, field="commune"
            )
    return found.latitude, found.longitude
