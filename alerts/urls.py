from __future__ import annotations

from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("dringend/", views.message_list, name="list"),
    path("dringend/nieuw/", views.compose, name="compose"),
    path("dringend/<int:pk>/", views.message_detail, name="message"),
    path("dringend/<int:pk>/test/", views.send_test, name="test"),
    path("dringend/<int:pk>/versturen/", views.send, name="send"),
    path("dringend/<int:pk>/voortgang/", views.progress_page, name="progress"),
    path("dringend/<int:pk>/gelezen/", views.acknowledge, name="acknowledge"),
]
