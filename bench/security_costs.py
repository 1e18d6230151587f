"""Security benchmark: what the controls of docs/security.md cost per request and per file.

Run: .venv/bin/python bench/security_costs.py [--rounds 300]

Each figure stands beside its baseline, measured interleaved in the same run:

- the middleware: a view that only reads ``request.user`` through Werkplek's whole
  middleware stack against the same view through Django's default stack (security,
  session, common, CSRF, authentication, messages, clickjacking), logged in as an
  office employee and as an HR officer verified with a second factor;
- a user file: an avatar through its access-checked view against the bare view;
- an upload: a 12-megapixel phone photo with EXIF GPS through ``check_upload``
  (verified, oriented, stripped, re-encoded) against Pillow only decoding it;
- a WebSocket frame: the strict parser (``untrusted.loads``) against ``json.loads``;
- a wrong password: a refused login through django-axes against a refused login
  without it (the same backend, ``authenticate()`` outside the lockout's middleware).

It uses a throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import statistics
import time

from common import BARE_URL, WHO_URL, percentile, start_django, with_bare_view

start_django("security")

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

DJANGO_DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


def interleaved(rounds: int, **cases) -> dict[str, list[float]]:
    """Milliseconds per call of each case, the cases taking turns round by round."""
    for call in cases.values():
        call()  # warm up
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, call in cases.items():
            start = time.perf_counter()
            call()
            timings[name].append((time.perf_counter() - start) * 1000)
    return timings


def report(title: str, timings: dict[str, list[float]], baseline: str) -> None:
    base = statistics.median(timings[baseline])
    print(f"\n{title}")
    print(f"  {'':44} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7}")
    for name, values in timings.items():
        p50 = statistics.median(values)
        print(f"  {name:44} {p50:8.3f} {percentile(values, 0.95):8.3f} {p50 / base:7.2f}")


def logged_in(username: str, *, second_factor: bool = False) -> Client:
    from tests.auth import verified_login
    from workplace.models import Employee

    client = Client(HTTP_HOST="localhost")
    user = Employee.objects.get(username=username)
    if second_factor:
        verified_login(client, user)
    else:
        client.force_login(user)
    return client


def get(client: Client, url: str, status: int = 200):
    def call():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)

    return call


def bench_middleware(rounds: int) -> None:
    office = logged_in("kantoor")
    hr = logged_in("hr", second_factor=True)
    with override_settings(MIDDLEWARE=DJANGO_DEFAULT_MIDDLEWARE):
        office_plain = logged_in("kantoor")

    def plain():
        with override_settings(MIDDLEWARE=DJANGO_DEFAULT_MIDDLEWARE):
            get(office_plain, WHO_URL)()

    report(
        "Middleware: a view that only asks who is logged in (as every page does)",
        interleaved(
            rounds,
            **{
                "Django's default middleware": plain,
                "Werkplek's middleware (office)": get(office, WHO_URL),
                "Werkplek's middleware (HR, 2FA)": get(hr, WHO_URL),
            },
        ),
        "Django's default middleware",
    )


def photo_with_gps(width: int, height: int) -> bytes:
    from PIL import Image

    image = Image.effect_noise((width, height), 40).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated, as phones store it
    gps = {1: "N", 2: (51.0, 3.0, 12.5), 3: "E", 4: (3.0, 43.0, 5.1)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def bench_files(rounds: int) -> None:
    from django.core.files.base import ContentFile
    from PIL import Image

    from streams.uploads import PHOTOS
    from workplace import files
    from workplace.models import Employee

    colleague = Employee.objects.get(username="terrein")
    checked = files.check_upload(photo_with_gps(1200, 900), files.AVATARS, "foto.jpg")
    colleague.avatar.save("foto.jpg", checked.as_file(), save=True)
    office = logged_in("kantoor")
    report(
        "A user file: an avatar through its view (access check, file response headers)",
        interleaved(
            rounds,
            **{
                "bare view": get(office, BARE_URL),
                "avatar view": get(office, colleague.avatar_url),
            },
        ),
        "bare view",
    )

    photo = photo_with_gps(4000, 3000)
    print(f"\n  (the photo: 4000 x 3000, {len(photo) / 2**20:.1f} MB JPEG with EXIF GPS)")

    def decode_only():
        with Image.open(io.BytesIO(photo)) as image:
            image.load()

    def checked_upload():
        checked = files.check_upload(ContentFile(photo, name="foto.jpg"), PHOTOS, "foto.jpg")
        assert checked.is_image

    report(
        "An upload: a 12-megapixel phone photo for a post (1,600 px JPEG out)",
        interleaved(
            max(5, rounds // 30),
            **{"Pillow decodes it (baseline)": decode_only, "check_upload": checked_upload},
        ),
        "Pillow decodes it (baseline)",
    )


def bench_frames(rounds: int) -> None:
    from workplace import untrusted

    frame = json.dumps(
        {
            "type": "message.send",
            "conversation": 1234,
            "client_id": "c0ffee00-1234-4abc-9def-0123456789ab",
            "body": "Morgen om 7 uur aan de serre, breng je laarzen mee. " * 18,
            "reply_to": None,
        }
    )
    report(
        f"A WebSocket frame ({len(frame)} bytes)",
        interleaved(
            rounds * 20,
            **{
                "json.loads (baseline)": lambda: json.loads(frame),
                "untrusted.loads": lambda: untrusted.loads(frame),
            },
        ),
        "json.loads (baseline)",
    )


def bench_refused_login(rounds: int) -> None:
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from workplace.backends import UsernameOrPersonnelNumberBackend

    factory = RequestFactory()
    backend = UsernameOrPersonnelNumberBackend()
    counter = iter(range(10**9))

    def without_axes():
        request = factory.post("/accounts/login/", REMOTE_ADDR="10.0.0.1")
        name = f"niemand{next(counter)}"
        assert backend.authenticate(request, username=name, password="fout") is None

    def with_axes():
        # A new address each time: the counters grow, nobody is locked out.
        request = factory.post("/accounts/login/", REMOTE_ADDR=f"10.1.{next(counter) % 250}.1")
        assert authenticate(request, username=f"niemand{next(counter)}", password="fout") is None

    report(
        "A wrong password",
        interleaved(
            rounds,
            **{"backend alone (baseline)": without_axes, "through django-axes": with_axes},
        ),
        "backend alone (baseline)",
    )


def main() -> None:
    # Every refused login and audit event logs a line: not what this measures.
    logging.disable(logging.WARNING)
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())
    print(f"Werkplek security benchmark — {os.cpu_count()} cores, SQLite")
    with with_bare_view():
        bench_middleware(options.rounds)
        bench_files(options.rounds)
    bench_frames(options.rounds)
    bench_refused_login(options.rounds)


if __name__ == "__main__":
    main()
