"""Test-run wiring: which tiers run where."""

from __future__ import annotations

import os


def integration_services_configured() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and bool(
        os.environ.get("REDIS_URL")
    )


INTEGRATION_OFF = (
    "the integration tier needs PostgreSQL and Redis "
    "(set DATABASE_URL=postgres://... and REDIS_URL to run it)"
)


def pytest_report_header(config) -> str:
    if integration_services_configured():
        return "integration tier: on, against DATABASE_URL and REDIS_URL"
    return f"integration tier: deselected; {INTEGRATION_OFF}"


# .ci/run's integration tier sets this: the tests marked ``tier_independent`` check what
# no database or channel layer changes (a page's rendering in the browser), and the
# embedded tier, which runs beside it, runs them. ``make test`` alone runs everything.
ELSEWHERE = "CI_TIER_INDEPENDENT_ELSEWHERE"
RUN_ELSEWHERE = "tier-independent: .ci/run's embedded tier runs them"


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    deselected = terminalreporter.stats.get("deselected", [])
    integration = [item for item in deselected if item.get_closest_marker("integration")]
    if integration:
        terminalreporter.write_line(f"{len(integration)} deselected: {INTEGRATION_OFF}")
    elsewhere = [item for item in deselected if item.get_closest_marker("tier_independent")]
    if elsewhere:
        terminalreporter.write_line(f"{len(elsewhere)} deselected: {RUN_ELSEWHERE}")


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API keeps an event loop open in the main thread for the
    # rest of the session, which async tests cannot share: browser tests go last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    # The integration tier needs the real servers; without them its tests are
    # deselected (not skipped): the embedded run simply does not contain them.
    if integration_services_configured():
        leave_out = "tier_independent" if os.environ.get(ELSEWHERE) else ""
    else:
        leave_out = "integration"
    if not leave_out:
        return
    deselected = [item for item in items if item.get_closest_marker(leave_out)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker(leave_out)]
