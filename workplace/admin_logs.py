"""Logs in the admin (the audit log, failed jobs, the delivery log): for superusers to
read, for nobody to write by hand. They name people and what happened to them."""

from __future__ import annotations

from django.contrib import admin


class LogAdmin(admin.ModelAdmin):
    # Whether superusers may delete rows they have seen to (failed jobs), never others.
    deletable = False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.deletable and self.has_view_permission(request)
