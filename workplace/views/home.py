from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from workplace import health, shell
from workplace.http import AuthenticatedRequest
from workplace.models import Department, Employee

NEW_COLLEAGUE_DAYS = 30
TEAM_SHOWN = 8
NEW_COLLEAGUES_SHOWN = 6


def colleagues(user: Employee, department: Department) -> tuple[list, list]:
    """Some of my department's people (by name) and the newest colleagues of the last
    30 days in it and below (newest first), both in one query."""
    others = Employee.objects.filter(is_active=True).exclude(pk=user.pk)
    team = others.filter(department=department).values("pk")[:TEAM_SHOWN]
    since = timezone.now() - timedelta(days=NEW_COLLEAGUE_DAYS)
    newest = (
        others.filter(date_joined__gte=since, department__path__startswith=department.path)
        .order_by("-date_joined")
        .values("pk")[:NEW_COLLEAGUES_SHOWN]
    )
    people = list(
        Employee.objects.filter(Q(pk__in=team) | Q(pk__in=newest))
        .annotate(
            in_team=ExpressionWrapper(Q(pk__in=team), output_field=BooleanField()),
            is_new=ExpressionWrapper(Q(pk__in=newest), output_field=BooleanField()),
        )
        .select_related("department")
    )
    by_name = sorted(
        (person for person in people if person.in_team),
        key=lambda person: (person.last_name, person.first_name, person.pk),
    )
    by_arrival = sorted(
        (person for person in people if person.is_new),
        key=lambda person: (person.date_joined, person.pk),
        reverse=True,
    )
    return by_name, by_arrival


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    department = user.department
    team, new_colleagues = colleagues(user, department) if department else ([], [])
    return render(
        request,
        "workplace/home.html",
        {
            "department": department,
            "team": team,
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
