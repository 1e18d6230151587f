from __future__ import annotations

from django.urls import path

from messaging import api, views

app_name = "messaging"

urlpatterns = [
    path("berichten/", views.inbox, name="inbox"),
    path("berichten/nieuw/", views.new_direct, name="new_direct"),
    path("berichten/groep/", views.new_group, name="new_group"),
    path("berichten/zoeken/", views.search, name="search"),
    path("berichten/instellingen/", views.settings_page, name="settings"),
    path("berichten/<int:conversation_id>/", views.conversation, name="conversation"),
    path("berichten/<int:conversation_id>/leden/", views.members, name="members"),
    path("berichten/<int:conversation_id>/dempen/", views.mute, name="mute"),
    path(
        "berichten/<int:conversation_id>/<int:message_id>/bewerken/",
        views.edit_message,
        name="edit",
    ),
    path(
        "berichten/<int:conversation_id>/<int:message_id>/verwijderen/",
        views.delete_message,
        name="delete",
    ),
    path("berichten/bijlage/<int:message_id>/", views.attachment, name="attachment"),
    path("berichten/bijlage/<int:message_id>/klein/", views.thumbnail, name="thumbnail"),
    path("api/v1/conversations/", api.conversations, name="api_conversations"),
    path("api/v1/conversations/unread/", api.unread, name="api_unread"),
    path(
        "api/v1/conversations/<int:conversation_id>/messages/",
        api.messages,
        name="api_messages",
    ),
]
