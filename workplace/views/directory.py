"""The directory: colleagues, their profiles, departments."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, render

from workplace import directory, files, shell
from workplace.access import access_colleague
from workplace.api import api_view
from workplace.http import AuthenticatedRequest
from workplace.models import Department, Employee

PAGE_SIZE = 25
SUGGESTIONS = 8


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(directory.find_employees(query), PAGE_SIZE).get_page(request.GET.get("page"))
    departments = directory.find_departments(query)[:5]
    return render(
        request,
        "workplace/people.html",
        {"query": query, "page": page, "departments": departments},
    )


@api_view(["GET"])
def people_suggestions(request: AuthenticatedRequest) -> JsonResponse:
    query = request.GET.get("q", "").strip()[:100]
    if len(query) < 2:
        return JsonResponse({"results": []})
    results = [
        {
            "name": str(employee),
            "username": employee.username,
            "job_title": employee.job_title,
            "department": employee.department.name if employee.department else "",
            "url": employee.get_absolute_url(),
        }
        for employee in directory.find_employees(query)[:SUGGESTIONS]
    ]
    return JsonResponse({"results": results})


@login_required
def profile(request: AuthenticatedRequest, username: str) -> HttpResponse:
    employee = access_colleague(request.user, username)
    ancestors = list(employee.department.ancestors()) if employee.department else []
    return render(
        request,
        "workplace/profile.html",
        {
            "employee": employee,
            "ancestors": ancestors,
            "is_me": employee == request.user,
            "links": shell.links_for("profile", employee),
        },
    )


@login_required
def avatar(request: AuthenticatedRequest, username: str) -> HttpResponseBase:
    employee = access_colleague(request.user, username)
    # The URL carries the photo's version (``Employee.avatar_url``): a day in the cache is fine.
    name = f"{employee.username}{PurePath(employee.avatar.name).suffix}"
    return files.file_response(request, employee.avatar, name, max_age=86400)


@login_required
def departments(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "workplace/departments.html", {"departments": directory.department_tree()}
    )


@login_required
def department(request: AuthenticatedRequest, code: str) -> HttpResponse:
    department = get_object_or_404(
        Department.objects.select_related("parent", "manager"), code=code.upper()
    )
    members = department.employees.filter(is_active=True).select_related("site")
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workplace/department.html",
        {
            "department": department,
            "ancestors": list(department.ancestors()),
            "children": department.children.all(),
            "links": shell.links_for("department", department),
            "page": page,
            "subtree_count": Employee.objects.filter(
                is_active=True, department__path__startswith=department.path
            ).count(),
        },
    )
