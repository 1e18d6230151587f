"""Administrators name the department communicators here; campaigns themselves are
written on the communication team's own pages (the reach data is never in the admin)."""

from __future__ import annotations

from django.contrib import admin

from campaigns.models import DepartmentCommunicator


@admin.register(DepartmentCommunicator)
class DepartmentCommunicatorAdmin(admin.ModelAdmin):
    list_display = ["employee", "department"]
    list_select_related = ["employee", "department"]
    raw_id_fields = ["employee"]
    search_fields = ["employee__username", "employee__last_name", "department__name"]
    list_filter = ["department"]
