"""FAQ entries in the search (``search.registry``): the question as title, the answer as plain text.

An entry is indexed once, in its own cooperative (kind "faq", found by its members). While it is
offered to the structures below, it is also indexed as kind "faqoffered", still in its own
cooperative, which the members of the cooperatives below reach (``SearchKind.reach``); its link
(``faq:entry_open``) opens it in a cooperative of the viewer where it is read.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.faq.models import Entry
from terrain.faq.services import SEARCH_KIND, SEARCH_KIND_OFFERED, entry_open_url, entry_url
from terrain.faq.tools import FAQ
from terrain.lib.html import plain_text
from terrain.search.registry import Document, SearchKind, register
from terrain.search.selectors import cooperatives_above


def _entry_document(entry: Entry) -> Document | None:
    if entry.deleted_at is not None:
        return None
    return Document(
        cooperative_id=entry.cooperative_id,
        title=entry.question,
        body=plain_text(entry.answer_html),
        url=entry_url(entry),
        created_at=entry.created_at,
        author_id=entry.author_id,
    )


def _offered_document(entry: Entry) -> Document | None:
    if entry.deleted_at is not None or entry.offered_at is None:
        return None
    return Document(
        cooperative_id=entry.cooperative_id,
        title=entry.question,
        body=plain_text(entry.answer_html),
        url=entry_open_url(entry),
        created_at=entry.offered_at,
        author_id=entry.author_id,
    )


register(SearchKind(key=SEARCH_KIND, label=_("FAQ entries"), tool=FAQ, model=Entry, document=_entry_document, order=30))
register(
    SearchKind(
        key=SEARCH_KIND_OFFERED,
        label=_("FAQ entries from the structures above"),
        tool=FAQ,
        model=Entry,
        document=_offered_document,
        order=31,
        reach=cooperatives_above,
    )
)
