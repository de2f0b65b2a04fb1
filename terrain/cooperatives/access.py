"""Who may do what in a cooperative. Every view and API endpoint goes through here.

- A private cooperative exists only for its members: anyone else gets a 404,
  so that not even its existence is disclosed.
- An open cooperative's presentation (name, description, how to join) is seen
  by everyone signed in; its content and member list by its members only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.models import Cooperative, Membership
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code


@dataclass(frozen=True)
class CooperativeAccess(Grants):
    needs = frozenset({Need.SEE, Need.READ, Need.POST, Need.ANIMATE})

    cooperative: Cooperative
    membership: Membership | None

    @property
    def can_see(self) -> bool:
        return self.membership is not None or self.cooperative.kind == Cooperative.Kind.OPEN

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def can_read(self) -> bool:
        return self.membership is not None

    @property
    def can_post(self) -> bool:
        return self.membership is not None and not self.cooperative.is_archived

    @property
    def can_animate(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.ANIMATEUR

    def require_tool(self, key: str) -> CooperativeAccess:
        """These rights, when the tool ``key`` is on in this cooperative; else 404: a tool turned
        off has no pages (its content stays stored, and comes back when it is turned on)."""
        if not self.cooperative.tool_on(key):
            raise Http404
        return self


def cooperative_access(*, user, cooperative: Cooperative) -> CooperativeAccess:
    membership = None
    if user is not None and user.is_authenticated and user.is_active:
        membership = Membership.objects.filter(cooperative=cooperative, user=user).first()
    return CooperativeAccess(cooperative=cooperative, membership=membership)


def get_cooperative_for(request, code: str, *, need: Need | str = Need.READ) -> CooperativeAccess:
    """The cooperative named by ``code`` with the viewer's rights.

    Raises Http404 when the viewer may not know it exists, PermissionDenied
    when they may see it but not do ``need``.
    """
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    cooperative = Cooperative.objects.select_related("structure").filter(code=code).first()
    if cooperative is None:
        raise Http404
    access = cooperative_access(user=request.user, cooperative=cooperative)
    if not access.can_see:
        raise Http404
    return access.require(need)
