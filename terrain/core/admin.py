"""Admin pieces shared by the apps, and the audit trail (read-only)."""

from __future__ import annotations

from django.contrib import admin

from terrain.core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by the services: the admin looks, never edits."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Who looked at member lists, who moderated, who invited: for the data protection officer."""

    list_display = ["created_at", "actor", "action", "target_type", "target_code"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor__email", "actor__display_name", "target_code"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
