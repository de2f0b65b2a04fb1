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
from terrain.modeles.tools import MODELES


@dataclass(frozen=True)
class TemplateAccess(Grants):
    needs = frozenset({Need.READ, Need.EDIT, Need.DELETE})

    template: DocumentTemplate
    cooperative: CooperativeAccess

    @property
    def can_read(self) -> bool:
        return self.cooperative.can_read

    @property
    def can_edit(self) -> bool:
        return self.cooperative.can_animate

    @property
    def can_delete(self) -> bool:
        return self.cooperative.can_animate


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
