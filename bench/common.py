"""What the benchmarks share: a throw-away Django, a bare baseline view, timing helpers.

Import it first thing from a script in this folder:

    from common import start_django
    start_django("kus")

It points Django at a fresh data directory (so a fresh SQLite database and
index), with fast password hashing, before anything else loads Django.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_URL = "/__bare__/"
WHO_URL = "/__who__/"


# Words of the city's directives, for made-up but Dutch-looking texts.
WORDS = [
    "medewerker",
    "vergoeding",
    "werkplek",
    "veiligheid",
    "dienst",
    "ploeg",
    "aanvraag",
    "regels",
    "gebouw",
    "leidinggevende",
    "personeelsportaal",
    "afspraak",
    "formulier",
    "termijn",
    "attest",
    "sleutel",
    "fiets",
    "opleiding",
    "verlof",
    "thuiswerk",
    "toestel",
    "gegevens",
    "melding",
    "kledij",
    "magazijn",
    "wagen",
]


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def start_django(name: str, *, database_url: str = "") -> None:
    """A fresh SQLite database in a throw-away data directory, or ``database_url``'s."""
    sys.path.insert(0, str(ROOT))
    os.environ["WERKPLEK_DATA_DIR"] = tempfile.mkdtemp(prefix=f"werkplek-bench-{name}-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("DEBUG", "false")
    # The test settings: fast hashing, plain static storage, the demo data allowed.
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("SECRET_KEY", "bench")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def bare(request):
    """The baseline: a view that does nothing, behind the same middleware."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def who(request):
    """A view that only asks who is logged in, as every real page does: behind Django's
    lazy middleware this loads the session and the user, behind Werkplek's as well."""
    from django.http import HttpResponse

    return HttpResponse(request.user.get_username())


def __getattr__(name: str):
    # Built on first use, after Django is set up: the project's URLs plus the bare view.
    if name == "urlpatterns":
        from django.urls import path

        from workplace import urls as project_urls

        return [
            path(BARE_URL.strip("/") + "/", bare),
            path(WHO_URL.strip("/") + "/", who),
            *project_urls.urlpatterns,
        ]
    raise AttributeError(name)


def with_bare_view():
    """Serve the project's URLs plus BARE_URL (a context manager)."""
    from django.test.utils import override_settings

    return override_settings(ROOT_URLCONF=__name__)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(client, url: str, rounds: int) -> tuple[list[float], int, int]:
    """Milliseconds per request over ``rounds``, then the queries and bytes of one more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and templates
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return timings, len(queries), len(response.content)
