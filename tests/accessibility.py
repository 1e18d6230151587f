"""axe-core in a Playwright page: the WCAG 2.1 A and AA rules, as the city requires."""

from __future__ import annotations

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, *, exclude: list[str] | None = None) -> list[str]:
    """One line per violated rule: its id, impact and the first few elements concerned.

    ``exclude``: CSS selectors of parts axe should skip (e.g. user text that is
    deliberately hostile). The script is evaluated through the browser's debugging
    protocol, so the page's Content-Security-Policy does not block it.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)
    # Without anything to skip, the context is the document itself (the string "document"
    # would be a CSS selector naming no element, and axe refuses it).
    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    results = page.evaluate(
        "([context, tags]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}})",
        [context, WCAG_AA],
    )
    return [
        f"{rule['id']} ({rule['impact']}): "
        + ", ".join(node["target"][0] for node in rule["nodes"][:3])
        for rule in results["violations"]
    ]
