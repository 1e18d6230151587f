"""The test suite's settings: workplace/settings.py with what a throw-away run needs.

pytest selects this module (pyproject.toml) and so do the benchmarks (bench/); the
environment they start from is ``[tool.pytest_env]`` (``HTTPS=false``, a secret key,
a data directory of their own).
"""

from __future__ import annotations

import os

from workplace.env import env_bool, env_choice
from workplace.settings import *  # noqa: F403
from workplace.settings import DATABASES, STORAGES

# Hashing at full strength makes the suite slow and proves nothing more.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files straight from the apps' folders: no collectstatic before a run.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Tests and benchmarks seed the demo organisation into their throw-away databases.
DEMO_DATA_ALLOWED = True
# Test runs write no index unless a test asks (search's own tests use "inline").
SEARCH_INDEX_UPDATES = env_choice(
    "SEARCH_INDEX_UPDATES", ("background", "inline", "manual"), "manual"
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # One test database per run, so that test runs side by side do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}

# Tasks run at once, in the test's own thread (the integration tier starts real workers,
# and servers started with HUEY_IMMEDIATE=false run them as in production).
HUEY = {**HUEY, "immediate": env_bool("HUEY_IMMEDIATE", True)}  # noqa: F405
