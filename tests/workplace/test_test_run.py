"""`make test` says what it leaves out, and why."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.servers import ROOT


def collect(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-p", "no:cacheprovider",
         "tests/integration/test_services.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # 5: every test of the file was deselected, none is left to run.
    assert result.returncode in (0, 5), result.stdout + result.stderr
    return result.stdout


def test_the_header_and_the_summary_say_why_the_integration_tier_is_deselected():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    out = collect(env)
    lines = [line for line in out.splitlines() if "the integration tier needs" in line]
    reason = "the integration tier needs PostgreSQL and Redis (set DATABASE_URL=postgres://..."
    header, summary = lines
    assert header.startswith(f"integration tier: deselected; {reason}")
    count, _, rest = summary.partition(" deselected: ")
    assert int(count) >= 1 and rest.startswith(reason)
