"""Read-only views of the forum for platform administrators: changes (and moderation, which
is recorded) go through the forum's pages and services, never around them."""

from __future__ import annotations

from django.contrib import admin

from terrain.core.admin import ReadOnlyAdmin
from terrain.forum.models import Category, Reply, Topic


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "cooperative", "position")
    list_select_related = ("cooperative",)
    search_fields = ("name", "cooperative__name")


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ("title", "cooperative", "category", "author", "last_activity_at", "locked_at", "deleted_at")
    list_select_related = ("cooperative", "category", "author")
    search_fields = ("code", "title", "cooperative__name", "author__display_name")
    date_hierarchy = "created_at"


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ("code", "topic", "author", "created_at", "edited_at", "deleted_at")
    list_select_related = ("topic", "author")
    search_fields = ("code", "topic__title", "author__display_name")
    date_hierarchy = "created_at"
