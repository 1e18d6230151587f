from __future__ import annotations

from django.urls import path

from surveys.views import answer, api, manage, report

app_name = "surveys"

urlpatterns = [
    path("enquetes/", answer.survey_list, name="list"),
    path("enquetes/<int:pk>/", answer.start, name="start"),
    path("enquetes/<int:pk>/deel/<int:number>/", answer.section, name="section"),
    path("enquetes/<int:pk>/nakijken/", answer.review, name="review"),
    path("enquetes/<int:pk>/bedankt/", answer.done, name="done"),
    path("enquetes/beheer/", manage.manage, name="manage"),
    path("enquetes/beheer/nieuw/", manage.create, name="create"),
    path("enquetes/beheer/<int:pk>/", manage.edit, name="edit"),
    path("enquetes/beheer/<int:pk>/instellingen/", manage.survey_settings, name="settings"),
    path("enquetes/beheer/<int:pk>/status/", manage.change_status, name="status"),
    path("enquetes/beheer/<int:pk>/deel/nieuw/", manage.section_form, name="add_section"),
    path(
        "enquetes/beheer/<int:pk>/deel/<int:section_pk>/",
        manage.section_form,
        name="edit_section",
    ),
    path(
        "enquetes/beheer/<int:pk>/deel/<int:section_pk>/vraag/nieuw/",
        manage.question_form,
        name="add_question",
    ),
    path(
        "enquetes/beheer/<int:pk>/vraag/<int:question_pk>/",
        manage.question_form,
        name="edit_question",
    ),
    path(
        "enquetes/beheer/<int:pk>/<str:what>/<int:item_pk>/verwijderen/",
        manage.delete,
        name="delete",
    ),
    path(
        "enquetes/beheer/<int:pk>/<str:what>/<int:item_pk>/verplaatsen/",
        manage.move,
        name="move",
    ),
    path("enquetes/beheer/<int:pk>/voorbeeld/", manage.preview, name="preview"),
    path("enquetes/beheer/<int:pk>/voorbeeld/<int:number>/", manage.preview, name="preview"),
    path("enquetes/beheer/<int:pk>/affiche/", manage.poster, name="poster"),
    path("enquetes/beheer/<int:pk>/resultaten/", report.survey_results, name="results"),
    path("enquetes/beheer/<int:pk>/export.csv", report.export, name="export"),
    path("api/v1/surveys/", api.open_surveys, name="api_open"),
]
