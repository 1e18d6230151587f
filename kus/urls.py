from __future__ import annotations

from django.urls import path

from kus import api
from kus.views import editing, reading

urlpatterns = [
    path("kus/", reading.index, name="kus"),
    path("kus/te-lezen/", reading.to_read_list, name="kus_to_read"),
    path("kus/nieuw/", editing.create, name="kus_create"),
    path("kus/bewerken/<int:pk>/", editing.edit, name="kus_edit"),
    path("kus/bewerken/<int:pk>/<slug:step>/", editing.workflow, name="kus_workflow"),
    path("kus/bijlage/<int:pk>/", reading.attachment, name="kus_attachment"),
    path("kus/<str:number>/", reading.detail, name="kus_directive"),
    path("kus/<str:number>/afdrukken/", reading.print_view, name="kus_print"),
    path("kus/<str:number>/gelezen/", reading.acknowledge, name="kus_acknowledge"),
    path("kus/<str:number>/geschiedenis/", reading.history, name="kus_history"),
    path("kus/<str:number>/verschil/", reading.diff, name="kus_diff"),
    path("kus/<str:number>/v<int:seq>/", reading.version_detail, name="kus_version"),
    path("kus/<str:number>/voortgang/", reading.progress, name="kus_progress"),
    path("kus/<str:number>/briefing/", reading.briefing, name="kus_briefing"),
    path("api/v1/kus/directives/", api.directive_list, name="api_kus_directives"),
    path("api/v1/kus/directives/<str:number>/", api.directive_detail, name="api_kus_directive"),
    path(
        "api/v1/kus/directives/<str:number>/acknowledge/",
        api.acknowledge,
        name="api_kus_acknowledge",
    ),
]
