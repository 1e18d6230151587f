from django.urls import path

from search import views

urlpatterns = [
    path("zoeken/", views.search_page, name="search"),
    path("api/v1/search/", views.api_search, name="api_search"),
    path("api/v1/search/suggest", views.api_suggest, name="api_search_suggest"),
    path("api/v1/search/suggest/", views.api_suggest),
]
