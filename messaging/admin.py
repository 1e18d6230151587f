from __future__ import annotations

from django.contrib import admin

from messaging.models import Conversation, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined", "muted"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    # Administrators manage who is in a group; message contents stay private.
    list_display = ["__str__", "kind", "created", "last_activity"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = ["kind", "created", "created_by"]
    fields = ["name", "kind", "created", "created_by"]
    inlines = [MembershipInline]
