from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from django.views.static import serve

from workplace.views import accounts, directory, errors, home, management

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
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profiel/", accounts.edit_profile, name="edit_profile"),
    path("profiel/pin/", accounts.change_pin, name="change_pin"),
    path("profiel/tokens/", accounts.api_tokens, name="api_tokens"),
    path("taal/", accounts.set_language, name="set_language"),
    path("mensen/", directory.people, name="people"),
    path("mensen/<str:username>/", directory.profile, name="profile"),
    path("afdelingen/", directory.departments, name="departments"),
    path("afdelingen/<str:code>/", directory.department, name="department"),
    path("api/v1/people/", directory.people_suggestions, name="api_people"),
    path("beheer/terminal/", management.terminal_setup, name="terminal_setup"),
    path("beheer/terminal/vergeten/", management.terminal_forget, name="terminal_forget"),
    path("beheer/activatiebrieven/", management.activation_letters, name="activation_letters"),
    # Each module owns its paths, pages and API alike (e.g. "kus/…", "api/v1/kus/…").
    path("", include("kus.urls")),
    path("", include("search.urls")),
    path("", include("streams.urls")),
    path("", include("messaging.urls")),
    path("", include("surveys.urls")),
    path("admin/", admin.site.urls),
    # Uploaded photos are for colleagues only, so they pass the login check too.
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        login_required(serve),
        {"document_root": settings.MEDIA_ROOT},
    ),
    # Last: whatever else is asked under api/ answers JSON, never the HTML shell.
    re_path(r"^api/", errors.api_not_found),
]
