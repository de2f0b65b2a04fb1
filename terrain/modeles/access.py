"""Who may fill in, edit or delete a template. Every view goes through here.

Members of the cooperative (where the tool is on) see and fill its templates; its animateurs
create, edit and delete them. Anyone else gets a 404: not even the template's name leaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from terrain.cooperatives.access import CooperativeAccess, cooperative_access
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


def offered_template_access(coop: CooperativeAccess, code: str, *, need: Need | str = Need.READ) -> TemplateAccess:
    """The template ``code`` offered by a structure above to the cooperative of ``coop`` (the
    viewer's rights there, from ``get_cooperative_for``): 404 when it is not offered to it. It can
    be filled there, never edited."""
    coop.require(Need.READ).require_tool(MODELES)
    template = templates_offered_to(coop.cooperative).filter(code=code).first() if looks_like_code(code) else None
    if template is None:
        raise Http404
    return TemplateAccess(template=template, cooperative=coop, offered=True).require(need)
