from __future__ import annotations

from django.contrib import admin

from alerts.models import UrgentMessage


@admin.register(UrgentMessage)
class UrgentMessageAdmin(admin.ModelAdmin):
    list_display = ["title", "sender", "sent", "resent"]
    readonly_fields = ["sender", "audience", "created", "test_sent", "sent", "resent"]
    search_fields = ["title"]

    def has_add_permission(self, request) -> bool:
        return False  # written and sent on /dringend/, through the actions
