"""Public documents: files of the structure's library put on its site by its officials.

Only the library of the structure's own cooperative is offered, only by its officials, one
file at a time: nothing of a cooperative reaches the site unless an official chose it. A
photo on which people can be identified without their consent marked cannot be published.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terrain.library.models import File
from terrain.library.selectors import photo_share_refusal
from terrain.public.models import Site, SiteDocument
from terrain.public.registry import SitemapEntry, SiteSection

HOME_DOCUMENTS = 5


def documents_of(site: Site) -> QuerySet[SiteDocument]:
    """What the site shows: its documents whose file is still in the library, newest first."""
    return (
        SiteDocument.objects.filter(site=site, file__deleted_at__isnull=True, file__current_version__isnull=False)
        .select_related("file", "file__current_version")
        .order_by("-published_at", "-id")
    )


def files_publishable(site: Site) -> QuerySet[File]:
    """The files its officials may choose from: the library of the structure's own cooperative."""
    cooperative = getattr(site.structure, "cooperative", None)
    if cooperative is None:
        return File.objects.none()
    return (
        File.objects.filter(cooperative=cooperative, deleted_at__isnull=True, current_version__isnull=False)
        .exclude(pk__in=SiteDocument.objects.filter(site=site).values("file_id"))
        .order_by("name")
    )


@transaction.atomic
def site_document_add(*, site: Site, file: File, by, title: str = "", description: str = "") -> SiteDocument:
    if not files_publishable(site).filter(pk=file.pk).exists():
        raise ValidationError({"file": _("Choose a file of your structure's library that is not on the site yet.")})
    refusal = photo_share_refusal(file)
    if refusal:
        raise ValidationError({"file": refusal})
    try:
        with transaction.atomic():
            return SiteDocument.objects.create(
                site=site,
                file=file,
                title=(title or "").strip() or file.name,
                description=(description or "").strip(),
                published_by=by,
            )
    except IntegrityError as error:
        raise ValidationError({"file": _("This file is already on the site.")}) from error


@transaction.atomic
def site_document_remove(*, document: SiteDocument, by) -> None:
    document.delete()


def _home(site: Site) -> dict:
    documents = list(documents_of(site)[:HOME_DOCUMENTS])
    return {"documents": documents} if documents else {}


def _sitemap(site: Site):
    yield SitemapEntry(reverse("public:documents", args=[site.slug]))


DOCUMENTS = SiteSection(
    key="documents",
    label=gettext_lazy("Documents"),
    url_name="public:documents",
    position=60,
    in_menu=lambda site: documents_of(site).exists(),
    home_template="public/_home_documents.html",
    home_context=_home,
    sitemap=_sitemap,
    manage_url_name="public_manage:documents",
    manage_label=gettext_lazy("Public documents from the library"),
)
