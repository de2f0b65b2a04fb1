"""Read-only views of the FAQ for platform administrators: changes go through the application."""

from __future__ import annotations

from django.contrib import admin

from terrain.core.admin import ReadOnlyAdmin
from terrain.faq.models import Entry, Proposal, Theme


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "cooperative", "position")
    search_fields = ("code", "name", "cooperative__name")
    list_select_related = ("cooperative",)


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ("code", "question", "cooperative", "theme", "version", "offered_at", "updated_at", "deleted_at")
    search_fields = ("code", "question", "cooperative__name")
    list_select_related = ("cooperative", "theme")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("code", "question", "cooperative", "status", "created_at", "decided_at")
    list_filter = ("status",)
    search_fields = ("code", "question", "cooperative__name")
    list_select_related = ("cooperative",)
