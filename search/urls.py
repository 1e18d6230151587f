from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("zoeken/", views.search_page, name="index"),
    path("api/v1/search/", views.api_search, name="api"),
    path("api/v1/search/suggest", views.api_suggest, name="api_suggest"),
    path("api/v1/search/suggest/", views.api_suggest),
]
