"""FAQ entries in the search (``search.registry``): the question as title, the answer as plain text.

An entry offered to the structures below is indexed once, in its own cooperative.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from terrain.faq.models import Entry
from terrain.faq.services import SEARCH_KIND, entry_url
from terrain.faq.tools import FAQ
from terrain.lib.html import plain_text
from terrain.search.registry import Document, SearchKind, register


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


register(SearchKind(key=SEARCH_KIND, label=_("FAQ entries"), tool=FAQ, model=Entry, document=_entry_document, order=30))
