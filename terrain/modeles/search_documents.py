"""The templates in the search (``search.registry``): name, description and the model's text."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terrain.modeles.models import DocumentTemplate
from terrain.modeles.services import SEARCH_KIND
from terrain.modeles.tools import MODELES
from terrain.search.registry import Document, SearchKind, register


def template_document(template: DocumentTemplate) -> Document:
    return Document(
        cooperative_id=template.cooperative_id,
        title=template.name,
        body="\n".join(part for part in (template.description, template.text) if part),
        url=reverse("modeles:fill", args=[template.code]),
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
