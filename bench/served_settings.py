"""Settings of the processes that bench/serving.py and bench/soak.py start.

The test settings (fast hashing, static files from the apps, the demo data allowed),
the project's URLs plus the bare baseline views of bench/common.py, and background
jobs queued for a real job worker, as in production, instead of run in the request.
"""

from __future__ import annotations

from tests.settings import *  # noqa: F403
from tests.settings import HUEY

ROOT_URLCONF = "common"
HUEY = {**HUEY, "immediate": False}
