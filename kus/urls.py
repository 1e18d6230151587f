from __future__ import annotations

from django.urls import path

from kus import api
from kus.views import editing, reading, reminders

app_name = "kus"

urlpatterns = [
    path("kus/", reading.index, name="index"),
    path("kus/te-lezen/", reading.to_read_list, name="to_read"),
    path("kus/nieuw/", editing.create, name="create"),
    path("kus/bewerken/<int:pk>/", editing.edit, name="edit"),
    path("kus/bewerken/<int:pk>/<slug:step>/", editing.workflow, name="workflow"),
    path("kus/bijlage/<int:pk>/", reading.attachment, name="attachment"),
    path("kus/<str:number>/", reading.detail, name="directive"),
    path("kus/<str:number>/afdrukken/", reading.print_view, name="print"),
    path("kus/<str:number>/gelezen/", reading.acknowledge, name="acknowledge"),
    path("kus/<str:number>/geschiedenis/", reading.history, name="history"),
    path("kus/<str:number>/verschil/", reading.diff, name="diff"),
    path("kus/<str:number>/v<int:seq>/", reading.version_detail, name="version"),
    path("kus/<str:number>/voortgang/", reading.progress, name="progress"),
    path("kus/<str:number>/briefing/", reading.briefing, name="briefing"),
    path("kus/<str:number>/herinneren/", reminders.remind, name="remind"),
    path("api/v1/kus/directives/", api.directive_list, name="api_directives"),
    path("api/v1/kus/directives/<str:number>/", api.directive_detail, name="api_directive"),
    path(
        "api/v1/kus/directives/<str:number>/acknowledge/",
        api.acknowledge,
        name="api_acknowledge",
    ),
]
