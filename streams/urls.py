from django.urls import path

from streams import api, space_views, views

app_name = "streams"

urlpatterns = [
    path("stroom/", views.home, name="home"),
    path("stroom/nieuw/", views.new_items, name="new_items"),
    path("stroom/berichten/nieuw/", views.post_create, name="post_create"),
    path("stroom/berichten/<int:post_id>/", views.post_detail, name="post"),
    path("stroom/berichten/<int:post_id>/bewerken/", views.post_edit, name="post_edit"),
    path("stroom/berichten/<int:post_id>/verwijderen/", views.post_delete, name="post_delete"),
    path("stroom/berichten/<int:post_id>/reageren/", views.post_react, name="post_react"),
    path("stroom/berichten/<int:post_id>/reactie/", views.post_comment, name="post_comment"),
    path("stroom/berichten/<int:post_id>/melden/", views.post_report, name="post_report"),
    path("stroom/berichten/<int:post_id>/vastpinnen/", views.post_pin, name="post_pin"),
    path("stroom/berichten/<int:post_id>/modereren/", views.post_moderate, name="post_moderate"),
    path("stroom/berichten/<int:post_id>/foto/", views.post_photo, name="post_photo"),
    path("stroom/berichten/<int:post_id>/bijlage/", views.post_file, name="post_file"),
    path("stroom/reacties/<int:comment_id>/bewerken/", views.comment_edit, name="comment_edit"),
    path(
        "stroom/reacties/<int:comment_id>/verwijderen/",
        views.comment_delete,
        name="comment_delete",
    ),
    path("stroom/onderwerpen/<str:name>/", views.topic, name="topic"),
    path("stroom/afdelingen/<str:code>/", views.department, name="department"),
    path("stroom/mensen/<str:username>/", views.profile, name="profile"),
    path("stroom/volgen/", views.follow, name="follow"),
    path("stroom/gevolgd/", views.following, name="following"),
    path("stroom/moderatie/", views.moderation, name="moderation"),
    path("ruimtes/", space_views.spaces, name="spaces"),
    path("ruimtes/nieuw/", space_views.space_create, name="space_create"),
    path("ruimtes/<slug:slug>/", space_views.space, name="space"),
    path("ruimtes/<slug:slug>/lid-worden/", space_views.space_join, name="space_join"),
    path("ruimtes/<slug:slug>/verlaten/", space_views.space_leave, name="space_leave"),
    path("ruimtes/<slug:slug>/leden/", space_views.space_members, name="space_members"),
    path("api/v1/streams/", api.stream, name="api_stream"),
    path("api/v1/streams/posts/", api.create_post, name="api_post_create"),
    path("api/v1/streams/posts/<int:post_id>/", api.post_detail, name="api_post"),
]
