from django.contrib import admin
from django.urls import include, path, re_path

from workplace import import_views
from workplace.views import accounts, directory, errors, home, management, security, sessions

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

urlpatterns = [
    path("", home.home, name="home"),
    path("meer/", home.more, name="more"),
    path("healthz", home.healthz, name="healthz"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/pin/", accounts.pin_login, name="pin_login"),
    path("accounts/activeren/", accounts.activate, name="activate"),
    path("accounts/logout/", sessions.logout, name="logout"),
    path("accounts/inactief/", sessions.idle_logout, name="idle_logout"),
    path("accounts/actief/", sessions.session_activity, name="session_activity"),
    path("accounts/tweestaps/", security.verify, name="mfa_verify"),
    path("accounts/bevestigen/", security.confirm, name="reauth"),
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profiel/", accounts.edit_profile, name="edit_profile"),
    path("profiel/pin/", accounts.change_pin, name="change_pin"),
    path("profiel/tokens/", accounts.api_tokens, name="api_tokens"),
    path("profiel/tweestaps/", security.manage, name="mfa_manage"),
    path("profiel/tweestaps/instellen/", security.setup, name="mfa_setup"),
    path("profiel/tweestaps/herstelcodes/", security.recovery_codes, name="mfa_recovery_codes"),
    path("profiel/tweestaps/verwijderen/", security.remove, name="mfa_remove"),
    path("taal/", accounts.set_language, name="set_language"),
    path("mensen/", directory.people, name="people"),
    path("mensen/<str:username>/", directory.profile, name="profile"),
    path("mensen/<str:username>/foto/", directory.avatar, name="avatar"),
    path("afdelingen/", directory.departments, name="departments"),
    path("afdelingen/<str:code>/", directory.department, name="department"),
    path("api/v1/people/", directory.people_suggestions, name="api_people"),
    path("beheer/terminal/", management.terminal_setup, name="terminal_setup"),
    path("beheer/terminal/vergeten/", management.terminal_forget, name="terminal_forget"),
    path("beheer/activatiebrieven/", management.activation_letters, name="activation_letters"),
    path("beheer/activatiebrieven/reset/", management.activation_reset, name="activation_reset"),
    path("beheer/import/", import_views.import_upload, name="import_upload"),
    path("beheer/import/bevestigen/", import_views.import_confirm, name="import_confirm"),
    # Each module owns its paths, pages and API alike (e.g. "kus/…", "api/v1/kus/…").
    path("", include("kus.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("streams.urls")),
    path("", include("messaging.urls")),
    path("", include("surveys.urls")),
    path("", include("alerts.urls")),
    path("", include("campaigns.urls")),
    path("admin/", admin.site.urls),
    # No route serves MEDIA_ROOT: every user file has a view of its own, behind the
    # access check of the object it belongs to (workplace/files.py).
    # Last: whatever else is asked under api/ answers JSON, never the HTML shell.
    re_path(r"^api/", errors.api_not_found, name="api_not_found"),
]
