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


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    deselected = terminalreporter.stats.get("deselected", [])
    integration = [item for item in deselected if item.get_closest_marker("integration")]
    if integration:
        terminalreporter.write_line(f"{len(integration)} deselected: {INTEGRATION_OFF}")


def pytest_collection_modifyitems(config, items):
    # Playwright's sync API keeps an event loop open in the main thread for the
    # rest of the session, which async tests cannot share: browser tests go last.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    # The integration tier needs the real servers; without them its tests are
    # deselected (not skipped): the embedded run simply does not contain them.
    if integration_services_configured():
        return
    deselected = [item for item in items if item.get_closest_marker("integration")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("integration")]
