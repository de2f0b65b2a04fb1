"""Admin pieces shared by the apps, and the audit trail (read-only)."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

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


class TaskResultAdmin(DBTaskResultAdmin):
    """The task queue without the tasks' arguments: they may hold an e-mail's addresses or a member's id.

    (Messages travel sealed, see ``terrain.core.mail``; finished tasks are purged after
    ``TASK_RESULTS_RETENTION_HOURS``.)
    """

    hidden_fields = ("args_kwargs", "return_value")

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name not in self.hidden_fields]


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
