from __future__ import annotations

from django.urls import path

from campaigns import api, directives
from campaigns.views import dashboards, editing, reading

app_name = "campaigns"

urlpatterns = [
    path("aankondigingen/", reading.announcements, name="announcements"),
    path("aankondigingen/nieuw/", editing.announcement_edit, name="announcement_new"),
    path("aankondigingen/<int:pk>/", reading.announcement, name="announcement"),
    path("aankondigingen/<int:pk>/bewerken/", editing.announcement_edit, name="announcement_edit"),
    path("aankondigingen/<int:pk>/publiceren/", editing.publish_now, name="publish_now"),
    path("aankondigingen/<int:pk>/intrekken/", editing.withdraw, name="withdraw"),
    path("aankondigingen/<int:pk>/gezien/", reading.seen, name="seen"),
    path("aankondigingen/<int:pk>/gelezen/", reading.acknowledge, name="acknowledge"),
    path("aankondigingen/<int:pk>/volgen/<str:what>/", reading.follow, name="follow"),
    path("aankondigingen/<int:pk>/affiche/", editing.poster, name="poster"),
    path(
        "aankondigingen/<int:pk>/bereik/", dashboards.announcement_reach, name="announcement_reach"
    ),
    path(
        "aankondigingen/<int:pk>/bereik.csv",
        dashboards.announcement_reach_csv,
        name="announcement_reach_csv",
    ),
    path("campagnes/", editing.campaign_list, name="campaigns"),
    path("campagnes/nieuw/", editing.campaign_edit, name="campaign_new"),
    path("campagnes/kalender/", editing.calendar_page, name="calendar"),
    path("campagnes/<int:pk>/", reading.campaign, name="campaign"),
    path("campagnes/<int:pk>/bewerken/", editing.campaign_edit, name="campaign_edit"),
    path("campagnes/<int:pk>/beeld/", reading.campaign_hero, name="campaign_hero"),
    path("campagnes/<int:pk>/bereik/", dashboards.campaign_reach, name="campaign_reach"),
    path("campagnes/<int:pk>/bereik.csv", dashboards.campaign_reach_csv, name="campaign_reach_csv"),
    path("campagnes/richtlijnen/<int:pk>/gezien/", directives.seen, name="directive_seen"),
    path(
        "campagnes/richtlijnen/<str:number>/bereik/",
        directives.dashboard,
        name="directive_reach",
    ),
    path(
        "campagnes/richtlijnen/<str:number>/bereik.csv",
        directives.dashboard_csv,
        name="directive_reach_csv",
    ),
    path("api/v1/campaigns/", api.campaigns, name="api_campaigns"),
    path("api/v1/campaigns/<int:pk>/items/", api.items, name="api_items"),
    path("api/v1/campaigns/<int:pk>/reach", api.campaign_reach, name="api_campaign_reach"),
    path(
        "api/v1/announcements/<int:pk>/reach", api.announcement_reach, name="api_announcement_reach"
    ),
]
