from __future__ import annotations

from django.contrib import admin

from streams.models import Comment, Membership, ModerationLog, Post, Report, Space, Topic


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, changed only through the app, whose actions keep the audit trail."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["employee"]
    fields = ["employee", "role", "status", "created"]
    readonly_fields = ["created"]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created", "created_by"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]
    inlines = [MembershipInline]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    # Hiding and restoring go through the moderation page, which keeps the log.
    list_display = [
        "__str__",
        "author",
        "audience_kind",
        "is_announcement",
        "created",
        "hidden",
        "deleted",
    ]
    list_filter = ["audience_kind", "is_announcement"]
    search_fields = ["body", "author__username", "author__last_name"]
    list_select_related = ["author"]
    date_hierarchy = "created"


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "post", "created", "deleted"]
    search_fields = ["body", "author__username"]
    list_select_related = ["author", "post"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["post", "reporter", "reason", "created", "resolved"]
    list_select_related = ["post", "reporter"]


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnlyAdmin):
    list_display = ["post", "moderator", "action", "reason", "created"]
    list_filter = ["action"]
    list_select_related = ["post", "moderator"]
