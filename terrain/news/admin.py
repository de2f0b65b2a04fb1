"""Read-only views of the news for platform administrators: changes go through
the application (and its services), never around them."""

from __future__ import annotations

from django.contrib import admin

from terrain.core.admin import ReadOnlyAdmin
from terrain.news.models import Comment, Post, PostImage


class PostImageInline(admin.TabularInline):
    model = PostImage
    fields = ("code", "image", "alt_text", "width", "height", "position")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("code", "cooperative", "author", "created_at", "comment_count", "pinned_at", "deleted_at")
    list_filter = ("created_at",)
    search_fields = ("code", "cooperative__name", "author__display_name")
    list_select_related = ("cooperative", "author")
    date_hierarchy = "created_at"
    inlines = [PostImageInline]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("code", "post", "author", "created_at", "edited_at", "deleted_at")
    search_fields = ("code", "post__code", "author__display_name")
    list_select_related = ("post", "author")
    date_hierarchy = "created_at"
