from __future__ import annotations

from django.urls import path

from kus import api, views

urlpatterns = [
    path("kus/", views.index, name="kus"),
    path("kus/te-lezen/", views.to_read_list, name="kus_to_read"),
    path("kus/nieuw/", views.create, name="kus_create"),
    path("kus/bewerken/<int:pk>/", views.edit, name="kus_edit"),
    path("kus/bewerken/<int:pk>/<slug:step>/", views.workflow, name="kus_workflow"),
    path("kus/bijlage/<int:pk>/", views.attachment, name="kus_attachment"),
    path("kus/<str:number>/", views.detail, name="kus_directive"),
    path("kus/<str:number>/afdrukken/", views.print_view, name="kus_print"),
    path("kus/<str:number>/gelezen/", views.acknowledge, name="kus_acknowledge"),
    path("kus/<str:number>/geschiedenis/", views.history, name="kus_history"),
    path("kus/<str:number>/verschil/", views.diff, name="kus_diff"),
    path("kus/<str:number>/v<int:seq>/", views.version_detail, name="kus_version"),
    path("kus/<str:number>/voortgang/", views.progress, name="kus_progress"),
    path("kus/<str:number>/briefing/", views.briefing, name="kus_briefing"),
    path("api/v1/kus/directives/", api.directive_list, name="api_kus_directives"),
    path("api/v1/kus/directives/<str:number>/", api.directive_detail, name="api_kus_directive"),
    path(
        "api/v1/kus/directives/<str:number>/acknowledge/",
        api.acknowledge,
        name="api_kus_acknowledge",
    ),
]
