"""Writes of the fill-in templates. Views and the demo call these; nothing else saves a template."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from terrain.feed.services import activities_delete, activity_record
from terrain.lib.html import sanitize_rich_text
from terrain.modeles.documents import WRITTEN, DocumentError, TooLongForPdf, fill, source_fields, source_texts
from terrain.modeles.fields import DATE, Field, guess_field
from terrain.modeles.models import DocumentTemplate, SavedAnswers
from terrain.modeles.uploads import UploadRefused, document_kind
from terrain.search.services import search_index, search_remove

TEMPLATE_ADDED = "modeles_template_added"
SEARCH_KIND = "modele"
# The templates offered below, found by the members of the cooperatives below (``search_documents``).
SEARCH_KIND_OFFERED = "modeleoffered"


def sample_values(fields: list[Field]) -> dict[str, str]:
    """What a preview fills in: each field's label, in brackets, so the animateur sees where it goes."""
    return {f.name: ("01/01/2026" if f.type == DATE else f"[{f.label}]") for f in fields}


def source_check(*, source: str, content: bytes | str) -> tuple[list[str], str]:
    """The field names and plain text of a model, after a trial filling with sample values.

    Raises ``ValidationError`` (a message in the reader's language, naming the faulty field) for a
    file that is not a real DOCX/ODT, a field syntax that is not allowed, or a document the
    libraries cannot fill: a template that passes here can be filled later.
    """
    try:
        if source != WRITTEN:
            kind = document_kind(content)
            if kind != source:
                raise UploadRefused(
                    _("This template is a .%(expected)s document: upload its new version in the same format.")
                    % {"expected": source}
                )
        names = source_fields(source, content)
        text = "\n".join(t for t in source_texts(source, content) if t.strip())
        fields = [guess_field(name) for name in names]
        samples = sample_values(fields)
        fill(source, content, samples, title="", formats={"docx", "odt"})
        with contextlib.suppress(TooLongForPdf):  # a long model (statutes): printed from the editable file
            fill(source, content, samples, title="", formats={"pdf"})
    except (UploadRefused, DocumentError) as error:
        raise ValidationError(error.message) from None
    return names, text


def _merge_fields(names: list[str], previous: list[Field]) -> list[dict]:
    known = {f.name: f for f in previous}
    return [guess_field(name, known).as_dict() for name in names]


def _write_source(template: DocumentTemplate, *, content: bytes | str) -> str | None:
    """Put the source on the template (not saved); return the old file's name to delete, if any."""
    old = None
    if template.source == WRITTEN:
        template.body_html = content
    else:
        old = template.file.name or None
        if old:
            template.file_version += 1
        template.file.save(f"model.{template.source}", ContentFile(content), save=False)
    return old


def _on_commit_delete(storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def template_create(
    *,
    cooperative,
    name: str,
    kind: str,
    description: str,
    source: str,
    content: bytes | str,
    by,
    offered_below: bool = False,
) -> DocumentTemplate:
    """A new template from an uploaded DOCX/ODT (``content`` bytes) or rich text (``source="written"``)."""
    if source == WRITTEN:
        content = sanitize_rich_text(content)
    names, text = source_check(source=source, content=content)
    template = DocumentTemplate(
        cooperative=cooperative,
        author=by,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        source=source,
        offered_below=offered_below and cooperative.structure_id is not None,
        text=text,
        fields=_merge_fields(names, []),
    )
    _write_source(template, content=content)
    try:
        with transaction.atomic():
            template.save()
            activity_record(cooperative=cooperative, actor=by, verb=TEMPLATE_ADDED, target=template)
            search_index(kind=SEARCH_KIND, objects=[template])
            if template.offered_below:
                search_index(kind=SEARCH_KIND_OFFERED, objects=[template])
    except BaseException:
        if template.file.name:  # never a file left without its template
            template.file.storage.delete(template.file.name)
        raise
    return template


def template_update(
    *,
    template: DocumentTemplate,
    name: str,
    kind: str,
    description: str,
    fields: list[Field],
    content: bytes | str | None = None,
    offered_below: bool | None = None,
    by,
) -> DocumentTemplate:
    """Change a template's presentation and its fields' labels; ``content``: a new source (a new
    file of the same format, or new text), whose fields replace the old ones (labels kept by name)."""
    template.name = name.strip()
    template.kind = kind
    template.description = description.strip()
    if offered_below is not None:
        template.offered_below = offered_below and template.cooperative.structure_id is not None
    labelled = {f.name: f for f in fields}
    template.fields = [labelled.get(f.name, f).as_dict() for f in template.field_list]
    old = None
    if content is not None:
        if template.is_written:
            content = sanitize_rich_text(content)
        names, text = source_check(source=template.source, content=content)
        template.fields = _merge_fields(names, [labelled.get(f.name, f) for f in template.field_list])
        template.text = text
        old = _write_source(template, content=content)
    with transaction.atomic():
        template.save()
        search_index(kind=SEARCH_KIND, objects=[template])
        # Not offered (any more): its document is None, so it leaves the search below.
        search_index(kind=SEARCH_KIND_OFFERED, objects=[template])
        _on_commit_delete(template.file.storage, old)
    return template


def template_delete(*, template: DocumentTemplate, by) -> None:
    with transaction.atomic():
        activities_delete(verbs=[TEMPLATE_ADDED], targets=[template])
        search_remove(kind=SEARCH_KIND, ids=[template.pk])
        search_remove(kind=SEARCH_KIND_OFFERED, ids=[template.pk])
        _on_commit_delete(template.file.storage, template.file.name or None)
        template.delete()


def answers_keep(*, template: DocumentTemplate, user, values: dict[str, str]) -> SavedAnswers:
    """Keep ``user``'s answers to ``template`` (they asked for it), replacing the previous ones."""
    with transaction.atomic():
        saved, _created = SavedAnswers.objects.update_or_create(
            template=template, user=user, defaults={"values": values}
        )
    return saved


def answers_forget(*, template: DocumentTemplate, user) -> int:
    return SavedAnswers.objects.filter(template=template, user=user).delete()[0]
