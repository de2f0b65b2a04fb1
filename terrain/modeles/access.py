"""Who may fill in, edit or delete a template. Every view goes through here.

Members of the cooperative (where the tool is on) see and fill its templates; its animateurs
create, edit and delete them. Anyone else gets a 404: not even the template's name leaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access
from terrain.cooperatives.models import Membership
from terrain.lib.access import Grants, Need
from terrain.lib.codes import looks_like_code
from terrain.modeles.models import DocumentTemplate
from terrain.modeles.selectors import templates_offered_to
from terrain.modeles.tools import MODELES


@dataclass(frozen=True)
class TemplateAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    template: DocumentTemplate
    # The cooperative it is used in: its own, or one it is offered to (``offered``).
    cooperative: CooperativeAccess
    offered: bool = False

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_edit(self) -> bool:
        return self.cooperative.can_animate and not self.offered

    @property
    def can_delete(self) -> bool:
        return self.can_edit


def get_template_for(request, code: str, *, need: Need | str = Need.READ) -> TemplateAccess:
    """The template named by ``code`` with the viewer's rights; 404 when they may not read it."""
    if not looks_like_code(code) or not request.user.is_authenticated:
        raise Http404
    template = DocumentTemplate.objects.select_related("cooperative__structure").filter(code=code).first()
    if template is None:
        raise Http404
    coop = cooperative_access(user=request.user, cooperative=template.cooperative)
    if not coop.can_read:
        raise Http404
    coop.require_tool(MODELES)
    return TemplateAccess(template=template, cooperative=coop).require(need)


def template_open_for(request, code: str) -> TemplateAccess:
    """The template ``code`` in a cooperative of the viewer where they may fill it in (tool on
    there): its own cooperative first (``offered`` False), else the deepest cooperative below it
    that it is offered to. 404 for anyone else. Two queries."""
    if not looks_like_code(code) or not request.user.is_authenticated or not request.user.is_active:
        raise Http404
    template = DocumentTemplate.objects.select_related("cooperative__structure").filter(code=code).first()
    if template is None:
        raise Http404
    where = Q(cooperative_id=template.cooperative_id)
    source = template.cooperative.structure
    if template.offered_below and source is not None:
        where |= Q(cooperative__structure__path__startswith=source.path) & ~Q(cooperative__structure_id=source.pk)
    memberships = (
        Membership.objects.filter(where, user=request.user)
        .select_related("cooperative__structure")
        .order_by("-cooperative__structure__depth", "cooperative_id")
    )
    usable = [m for m in memberships if m.cooperative.tool_on(MODELES)]
    if not usable:
        raise Http404
    chosen = next((m for m in usable if m.cooperative_id == template.cooperative_id), usable[0])
    coop = CooperativeAccess(cooperative=chosen.cooperative, membership=chosen)
    return TemplateAccess(template=template, cooperative=coop, offered=chosen.cooperative_id != template.cooperative_id)


def offered_template_access(coop: CooperativeAccess, code: str, *, need: Need | str = Need.READ) -> TemplateAccess:
    """The template ``code`` offered by a structure above to the cooperative of ``coop`` (the
    viewer's rights there, from ``get_cooperative_for``): 404 when it is not offered to it. It can
    be filled there, never edited."""
    coop.require(Need.READ).require_tool(MODELES)
    template = templates_offered_to(coop.cooperative).filter(code=code).first() if looks_like_code(code) else None
    if template is None:
        raise Http404
    return TemplateAccess(template=template, cooperative=coop, offered=True).require(need)
