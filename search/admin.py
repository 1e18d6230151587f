from __future__ import annotations

from django.contrib import admin

from search.models import IndexTask


@admin.register(IndexTask)
class IndexTaskAdmin(admin.ModelAdmin):
    """The update queue, to see what waits; the single writer drains it."""

    list_display = ["model", "object_id", "created", "attempts"]
    list_filter = ["model"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
