"""One row per object the search can find (``search.registry``), whatever its kind.

The text is stored as the kind's ``Document`` gave it (for the snippets); the full-text index
over it is the database's own (``search.backends``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    cooperative = models.ForeignKey("cooperatives.Cooperative", on_delete=models.CASCADE, related_name="+")
    # The tool of the kind, copied here so that a disabled tool is filtered without the registry.
    tool = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")]
        indexes = [models.Index(fields=["cooperative", "-created_at"], name="search_doc_coop_idx")]
