"""Every environment variable the settings read is in the README's table."""

from __future__ import annotations

import re

from tests.servers import ROOT


def read_variables(path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"env_[a-z]+\(\s*\"([A-Z][A-Z0-9_]*)\"", text))


def test_it_documents_every_variable_the_settings_read():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    variables = read_variables(ROOT / "workplace" / "settings.py")
    assert "SECRET_KEY" in variables  # the pattern still finds them
    missing = sorted(name for name in variables if f"`{name}`" not in readme)
    assert missing == []


def test_it_reads_every_setting_the_apps_use_from_the_settings_module():
    from django.conf import global_settings

    import workplace.settings

    used: set[str] = set()
    for app in ("workplace", "kus", "search", "streams", "messaging", "surveys"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r"\bsettings\.([A-Z][A-Z0-9_]+)", text))
            used |= set(re.findall(r"getattr\(settings, \"([A-Z][A-Z0-9_]+)\"", text))
    undeclared = sorted(
        name
        for name in used
        if not hasattr(workplace.settings, name) and not hasattr(global_settings, name)
    )
    assert undeclared == []
