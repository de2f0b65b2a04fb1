"""Platform administrators create the top structures here; officials do the rest in the app.

New structures go through ``structure_create`` (which gives each its private
cooperative and its place in the tree), new mandates through
``official_add``: never a bare save.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from terrain.structures.models import ALLOWED_PARENTS, Official, Structure
from terrain.structures.services import official_add, official_remove, structure_create, structure_update


class StructureAdminForm(forms.ModelForm):
    class Meta:
        model = Structure
        fields = ["kind", "name", "parent", "departement", "commune", "description"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and cleaned.get("kind"):
            parent = cleaned.get("parent")
            if (parent.kind if parent else None) not in ALLOWED_PARENTS[cleaned["kind"]]:
                raise ValidationError(_("This type of structure cannot be placed there."), code="bad_parent")
        return cleaned


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    form = StructureAdminForm
    list_display = ["name", "kind", "parent", "departement", "commune", "depth"]
    list_filter = ["kind", "depth"]
    search_fields = ["name", "code", "commune", "departement"]
    list_select_related = ["parent"]
    raw_id_fields = ["parent"]
    readonly_fields = ["code", "path", "depth", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a structure would have to rewrite the path of its whole subtree.
        if obj is not None:
            return [*self.readonly_fields, "kind", "parent"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        if change:
            structure_update(
                structure=obj,
                by=request.user,
                name=data["name"],
                departement=data.get("departement", ""),
                commune=data.get("commune", ""),
                description=data.get("description", ""),
            )
            return
        created = structure_create(
            kind=data["kind"],
            name=data["name"],
            parent=data.get("parent"),
            departement=data.get("departement", ""),
            commune=data.get("commune", ""),
            description=data.get("description", ""),
        )
        # The admin goes on with ``obj`` (log entry, redirect): make it the created row.
        obj.pk = created.pk
        obj.code = created.code
        obj.path = created.path
        obj.depth = created.depth
        obj.created_at = created.created_at
        obj.updated_at = created.updated_at
        obj._state.adding = False

    def has_delete_permission(self, request, obj=None) -> bool:
        # A structure holds members, mandates and a cooperative's history: never deleted from here.
        return False


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "structure", "since"]
    list_filter = ["role"]
    search_fields = ["user__display_name", "user__email", "structure__name"]
    list_select_related = ["user", "structure"]
    raw_id_fields = ["user", "structure"]

    def has_change_permission(self, request, obj=None) -> bool:
        # A mandate is given or withdrawn, not edited.
        return False

    def save_model(self, request, obj, form, change) -> None:
        created = official_add(structure=obj.structure, user=obj.user, role=obj.role)
        obj.pk = created.pk
        obj.since = created.since
        obj._state.adding = False

    def delete_model(self, request, obj) -> None:
        try:
            official_remove(official=obj, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        for official in queryset.select_related("structure", "user"):
            self.delete_model(request, official)
