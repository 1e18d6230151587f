from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from workplace import health, shell
from workplace.http import AuthenticatedRequest
from workplace.models import Employee

NEW_COLLEAGUE_DAYS = 30


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    department = user.department
    new_colleagues = []
    if department:
        since = timezone.now() - timedelta(days=NEW_COLLEAGUE_DAYS)
        new_colleagues = list(
            Employee.objects.filter(
                is_active=True, date_joined__gte=since, department__path__startswith=department.path
            )
            .exclude(pk=user.pk)
            .select_related("department")
            .order_by("-date_joined")[:6]
        )
    return render(
        request,
        "workplace/home.html",
        {
            "department": department,
            "team": (
                department.employees.filter(is_active=True).exclude(pk=user.pk)[:8]
                if department
                else []
            ),
            "new_colleagues": new_colleagues,
            **shell.start_page(request),
        },
    )


@login_required
def more(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "workplace/more.html", {"links": shell.links_for("more", request.user)})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Up or down for anyone (the load balancer); the details only for administrators
    and for monitoring that presents ``HEALTHZ_TOKEN`` — engine names and error texts
    tell an attacker what to aim at."""
    ok, results = health.run_checks()
    if not health.may_see_details(request):
        results = {name: {"ok": result["ok"]} for name, result in results.items()}
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": results}, status=200 if ok else 503
    )
