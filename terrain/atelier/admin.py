"""The workshop in the admin: read-only, for platform administrators who look into a problem.

Every write goes through the services (and the workshop's pages). The secrets of a
connected account (tokens, passwords) are never shown: the admin does not even load them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from terrain.atelier.models import (
    ConnectedAccount,
    LexiconEntry,
    Message,
    MessageEvent,
    Publication,
    PublicationAttempt,
    QueueSlot,
    Recurrence,
    Strategy,
)


class ReadOnlyMixin:
    # Addresses without a scheme are read as https (Django 6's default, said now to silence its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    show_change_link = False


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ["structure", "approval_required", "updated_at"]
    list_select_related = ["structure"]
    search_fields = ["structure__name"]
    fields = ["structure", "editorial_line", "goals", "approval_required", "writers", "approvers"]


@admin.register(LexiconEntry)
class LexiconEntryAdmin(ReadOnlyAdmin):
    list_display = ["acronym", "expansion", "structure"]
    list_select_related = ["structure"]
    search_fields = ["acronym", "expansion", "structure__name"]


# Every field but the secrets: the list and the page never decrypt them.
ACCOUNT_FIELDS = [
    "code",
    "structure",
    "network",
    "handle",
    "display_name",
    "api_base",
    "remote_id",
    "status",
    "status_detail",
    "checked_at",
    "warned_at",
    "connected_by",
    "followers",
    "window_started_at",
    "window_count",
    "created_at",
]


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(ReadOnlyAdmin):
    list_display = ["handle", "network", "structure", "status", "checked_at"]
    list_filter = ["network", "status"]
    list_select_related = ["structure"]
    search_fields = ["handle", "structure__name", "code"]
    fields = ACCOUNT_FIELDS
    readonly_fields = ACCOUNT_FIELDS

    def get_queryset(self, request):
        return super().get_queryset(request).defer("secrets")


class PublicationInline(ReadOnlyInline):
    model = Publication
    fields = ["account", "state", "due_at", "attempts", "last_error", "remote_url", "published_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = MessageEvent
    fields = ["created_at", "actor", "kind", "text"]
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "structure", "status", "scheduled_at", "published_at"]
    list_filter = ["status"]
    list_select_related = ["structure"]
    search_fields = ["title", "body", "code", "structure__name"]
    date_hierarchy = "scheduled_at"
    exclude = ["accounts", "submission_key"]
    inlines = [PublicationInline, EventInline]


class AttemptInline(ReadOnlyInline):
    model = PublicationAttempt
    fields = ["started_at", "finished_at", "outcome", "status_code", "error", "worker"]
    readonly_fields = fields


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["code", "message", "account", "state", "due_at", "attempts", "published_at"]
    list_filter = ["state"]
    list_select_related = ["message", "account"]
    search_fields = ["code", "marker", "remote_id"]
    exclude = ["claim_token"]
    inlines = [AttemptInline]


@admin.register(Recurrence)
class RecurrenceAdmin(ReadOnlyAdmin):
    list_display = ["code", "structure", "frequency", "interval", "starts_on", "ends_on", "local_time", "timezone"]
    list_select_related = ["structure"]


@admin.register(QueueSlot)
class QueueSlotAdmin(ReadOnlyAdmin):
    list_display = ["structure", "weekday", "local_time", "timezone"]
    list_select_related = ["structure"]
