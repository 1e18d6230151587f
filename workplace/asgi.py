"""ASGI entry point: HTTP through Django, WebSockets on /ws/ through Channels."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workplace.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddleware  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import CookieMiddleware, SessionMiddleware  # noqa: E402
from django.urls import path  # noqa: E402

from workplace.consumers import WorkplaceConsumer  # noqa: E402
from workplace.origins import SameOriginValidator  # noqa: E402
from workplace.untrusted import SafeCookiesMiddleware  # noqa: E402

websocket_urlpatterns = [path("ws/", WorkplaceConsumer.as_asgi())]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Channels' AuthMiddlewareStack, with unsafe cookies dropped before the session.
        "websocket": SameOriginValidator(
            CookieMiddleware(
                SafeCookiesMiddleware(
                    SessionMiddleware(AuthMiddleware(URLRouter(websocket_urlpatterns)))
                )
            )
        ),
    }
)
