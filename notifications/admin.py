"""The delivery log for administrators: every delivery outside the app and each attempt."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, DeliveryAttempt
from workplace.admin_logs import LogAdmin


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ["at", "outcome", "detail"]
    readonly_fields = ["at", "outcome", "detail"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(LogAdmin):
    list_display = ["created", "recipient", "channel", "kind", "status", "attempts", "detail"]
    list_filter = ["channel", "status", "notification__kind", "created"]
    search_fields = ["recipient__username", "recipient__personnel_number", "key", "detail"]
    date_hierarchy = "created"
    list_select_related = ["recipient", "notification"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    inlines = [AttemptInline]

    @admin.display(description=_("kind"), ordering="notification__kind")
    def kind(self, delivery: Delivery) -> str:
        return delivery.notification.get_kind_display()

    def changelist_view(self, request, extra_context=None):
        """Above the list: how many per channel and outcome, for what the filters select."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            figures = (
                changelist.queryset.order_by()
                .values("channel", "status")
                .annotate(n=Count("id"))
                .order_by("channel", "status")
            )
            response.context_data["delivery_figures"] = list(figures)
        return response
