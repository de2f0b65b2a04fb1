"""Platform administrators' view of cooperatives: read-mostly.

Cooperatives are created in the app (open ones) or with their structure
(private ones, through ``structure_create``), never here. Memberships and
join requests are shown, not edited: their writes keep counters, audit and
notifications right, which a bare admin save would skip.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from terrain.cooperatives.models import Cooperative, JoinRequest, Membership
from terrain.cooperatives.services import cooperative_archive, cooperative_update
from terrain.core.admin import ReadOnlyAdmin


class CooperativeAdminForm(forms.ModelForm):
    class Meta:
        model = Cooperative
        fields = ["name", "description", "join_policy"]

    def clean_join_policy(self):
        # The database refuses it too, but "kind" is read-only here so the
        # form's own constraint check skips it: say it as a form error.
        policy = self.cleaned_data["join_policy"]
        if self.instance.is_private and policy == Cooperative.JoinPolicy.OPEN:
            raise ValidationError(_("A structure's private cooperative cannot be open to everyone."), code="private")
        return policy


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    form = CooperativeAdminForm
    list_display = ["name", "kind", "join_policy", "member_count", "structure", "archived_at", "created_at"]
    list_filter = ["kind", "join_policy", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code"]
    fields = [
        "name",
        "description",
        "join_policy",
        "kind",
        "structure",
        "code",
        "member_count",
        "created_by",
        "archived_at",
        "created_at",
    ]
    readonly_fields = ["kind", "structure", "code", "member_count", "created_by", "archived_at", "created_at"]
    actions = ["archive", "unarchive"]

    def has_add_permission(self, request) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        cooperative_update(
            cooperative=obj,
            by=request.user,
            name=obj.name,
            description=obj.description,
            join_policy=obj.join_policy,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Archive instead: deleting would take every post and membership with it.
        return False

    def _set_archived(self, request, queryset, *, archived: bool) -> None:
        done = 0
        for cooperative in queryset:
            try:
                cooperative_archive(cooperative=cooperative, by=request.user, archived=archived)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{cooperative}: {' '.join(error.messages)}", messages.WARNING)
        self.message_user(request, _("%(count)d cooperative(s) updated.") % {"count": done})

    @admin.action(description=_("Archive the selected cooperatives"))
    def archive(self, request, queryset) -> None:
        self._set_archived(request, queryset, archived=True)

    @admin.action(description=_("Reopen the selected cooperatives"))
    def unarchive(self, request, queryset) -> None:
        self._set_archived(request, queryset, archived=False)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "cooperative", "role", "muted", "joined_at"]
    list_filter = ["role", "muted"]
    search_fields = ["cooperative__name", "cooperative__code", "user__display_name", "user__email"]
    list_select_related = ["user", "cooperative"]
    raw_id_fields = ["user", "cooperative"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["user", "cooperative", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["cooperative__name", "user__display_name", "user__email"]
    list_select_related = ["user", "cooperative", "decided_by"]
