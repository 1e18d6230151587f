from __future__ import annotations

from django.contrib import admin

from kus.models import Acknowledgement, Briefing, Category, Directive, DirectiveVersion, Tag
from workplace.admin_guard import TolerantGuardedModelAdmin


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class VersionInline(admin.TabularInline):
    model = DirectiveVersion
    fields = ["seq", "title", "change_note", "material", "published_at", "approved_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Directive)
class DirectiveAdmin(TolerantGuardedModelAdmin):
    """Metadata and grants only: the text changes through the KUS pages (four eyes)."""

    list_display = ["number", "title", "status", "owner_department", "category", "updated"]
    list_filter = ["status", "category", "restricted", "requires_ack"]
    search_fields = ["number", "title"]
    readonly_fields = ["title", "summary", "number", "status"]
    raw_id_fields = ["contact", "audience"]
    inlines = [VersionInline]


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ["directive", "team", "held_on", "leader"]
    raw_id_fields = ["directive", "leader", "attendees"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["directive", "employee", "ack_round", "via", "at"]
    list_filter = ["via"]
    raw_id_fields = ["directive", "employee", "version", "briefing"]
