"""django-axes with one failure limit per lockout parameter.

Axes compares the worst count of its ``AXES_LOCKOUT_PARAMETERS`` with a single
``AXES_FAILURE_LIMIT``. Terrain wants two limits: a few failures for one
address from one IP (someone mistyping, or guessing from one machine), and a
larger number for one address from anywhere (password spraying spread over
many IPs). ``AXES_FAILURE_LIMITS`` maps each parameter of
``AXES_LOCKOUT_PARAMETERS`` (a name, or a tuple of names) to its own limit;
this handler scales each count to the common limit so axes' one comparison
holds for each parameter.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import Sum


def _key(parameter) -> str | tuple[str, ...]:
    return parameter if isinstance(parameter, str) else tuple(parameter)


class PerParameterLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        limit = get_failure_limit(request, credentials)
        own_limits = getattr(settings, "AXES_FAILURE_LIMITS", {})
        worst = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True
        ):
            count = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            own = own_limits.get(_key(parameter), limit)
            # count >= own  <=>  count * limit // own >= limit (integers): axes' comparison per parameter.
            worst = max(worst, count * limit // own)
        return worst
