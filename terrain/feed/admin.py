"""Read-only views of the feed for platform administrators."""

from __future__ import annotations

from django.contrib import admin

from terrain.core.admin import ReadOnlyAdmin
from terrain.feed.models import Activity, Notification


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("code", "verb", "target_id", "cooperative", "actor", "broadcast", "created_at")
    list_filter = ("verb", "broadcast")
    search_fields = ("code", "cooperative__name", "actor__display_name")
    list_select_related = ("cooperative", "actor")
    list_display_links = ("code",)
    raw_id_fields = ("cooperative", "actor")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("code", "user", "reason", "actor", "cooperative", "in_feed", "created_at", "read_at")
    list_filter = ("reason", "in_feed")
    search_fields = ("code", "user__email", "user__display_name")
    list_select_related = ("user", "actor", "cooperative")
    raw_id_fields = ("user", "actor", "activity", "join_request")
