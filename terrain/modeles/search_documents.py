"""The templates in the search (``search.registry``): name, description and the model's text.

A template is indexed once, in its own cooperative (kind "modele", found by its members). While it
is offered to the structures below, it is also indexed as kind "modeleoffered", still in its own
cooperative, which the members of the cooperatives below reach (``SearchKind.reach``); its link
(``modeles:open``) opens it in a cooperative of the viewer where it may be filled in.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.modeles.models import DocumentTemplate
from terrain.modeles.services import SEARCH_KIND, SEARCH_KIND_OFFERED
from terrain.modeles.tools import MODELES
from terrain.search.registry import Document, SearchKind, register
from terrain.search.selectors import cooperatives_above


def _body(template: DocumentTemplate) -> str:
    return "\n".join(part for part in (template.description, template.text) if part)


def template_document(template: DocumentTemplate) -> Document:
    return Document(
        cooperative_id=template.cooperative_id,
        title=template.name,
        body=_body(template),
        url=reverse("modeles:fill", args=[template.code]),
        created_at=template.created_at,
        author_id=template.author_id,
    )


def offered_document(template: DocumentTemplate) -> Document | None:
    if not template.offered_below:
        return None
    return Document(
        cooperative_id=template.cooperative_id,
        title=template.name,
        body=_body(template),
        url=reverse("modeles:open", args=[template.code]),
        created_at=template.created_at,
        author_id=template.author_id,
    )


register(
    SearchKind(
        key=SEARCH_KIND,
        label=_("Templates"),
        tool=MODELES,
        model=DocumentTemplate,
        document=template_document,
        order=50,
    )
)
register(
    SearchKind(
        key=SEARCH_KIND_OFFERED,
        label=_("Templates from the structures above"),
        tool=MODELES,
        model=DocumentTemplate,
        document=offered_document,
        order=51,
        reach=cooperatives_above,
    )
)
