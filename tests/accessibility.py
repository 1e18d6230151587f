"""axe-core in a Playwright page: the WCAG 2.1 A and AA rules, as the city requires.

``axe_violations(page)`` checks one page on demand. ``Audit`` checks every page a browser
test visits without being asked: the ``chromium`` fixture hands out an ``AuditedBrowser``
whose contexts run axe on each main-frame ``load`` and once more on the final state of
each page before its context closes; the test fails at teardown with the URL and the
rules of each serious or critical violation. ``@pytest.mark.axe(exclude=[selectors])``
makes a test's audit skip parts of its pages (deliberately hostile user text).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}

# One run at a time per document (axe refuses a second run while one is going), and
# never longer than this: a page that hangs axe must not hang the test. Only pages are
# judged: an image or a download has no HTML, and a fragment (HTML without a doctype,
# such as the stream's "new posts" that a script inserts) is judged in the page it is
# inserted into.
RUN_AXE = """
([context, tags, limitMs]) => {
  if (document.contentType !== "text/html" || !document.doctype) return Promise.resolve([]);
  const run = () => axe.run(context || document, {runOnly: {type: "tag", values: tags}})
    .then((results) => results.violations.map((rule) => ({
      id: rule.id, impact: rule.impact,
      targets: rule.nodes.slice(0, 3).map((node) => String(node.target[0])),
    })));
  const previous = window.__werkplekAxeRun || Promise.resolve();
  const mine = previous.catch(() => null).then(run);
  window.__werkplekAxeRun = mine;
  const limit = new Promise((resolve) => setTimeout(() => resolve(null), limitMs));
  return Promise.race([mine, limit]);
}
"""
RUN_LIMIT_MS = 15_000


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def _context_for(exclude: list[str] | None) -> dict | None:
    # Without anything to skip, the context is the document itself (the string "document"
    # would be a CSS selector naming no element, and axe refuses it).
    return {"exclude": [[selector] for selector in exclude]} if exclude else None


def _run(page, exclude: list[str] | None) -> list[dict] | None:
    """The violations on the page as it is now; None when axe did not finish in time.

    The script is evaluated through the browser's debugging protocol, so the page's
    Content-Security-Policy does not block it."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    return page.evaluate(RUN_AXE, [_context_for(exclude), WCAG_AA, RUN_LIMIT_MS])


def _line(rule: dict) -> str:
    return f"{rule['id']} ({rule['impact']}): " + ", ".join(rule["targets"])


def axe_violations(page, *, exclude: list[str] | None = None) -> list[str]:
    """One line per violated rule: its id, impact and the first few elements concerned.

    ``exclude``: CSS selectors of parts axe should skip (e.g. user text that is
    deliberately hostile)."""
    return [_line(rule) for rule in _run(page, exclude) or []]


def _is_web_page(url: str) -> bool:
    return url.startswith(("http://", "https://"))


@dataclass
class Audit:
    """The serious and critical violations of one test's pages, by URL."""

    exclude: list[str] = field(default_factory=list)
    found: dict[str, set[str]] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    unfinished: set[str] = field(default_factory=set)

    scriptless: Any = None  # a page with script, to judge pages without (see below)

    def check(self, page) -> None:
        """Run axe on the page as it is now; never raises.

        A navigation while axe runs destroys its context: the next ``load`` runs it again
        (and the final check covers the last page). A closed page has nothing to check."""
        from playwright.sync_api import Error

        try:
            url = page.url
            if page.is_closed() or not _is_web_page(url):
                return
            if getattr(page.context, "_werkplek_scriptless", False):
                rules = self._run_scriptless(page, url)
            else:
                rules = _run(page, self.exclude)
        except Error:
            return
        if rules is None:
            self.unfinished.add(url)
            return
        self.unfinished.discard(url)
        self.checked.add(url)
        serious = {_line(rule) for rule in rules if rule["impact"] in SERIOUS}
        if serious:
            self.found.setdefault(url, set()).update(serious)

    def _run_scriptless(self, page, url: str) -> list[dict] | None:
        """axe needs timers, which a context without JavaScript never fires: the page's
        HTML is judged in a page with script instead, its own scripts blocked (what
        ``<noscript>`` holds is the one thing it then does not see)."""
        html = page.content()

        def answer(route) -> None:
            if route.request.url == url:
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            elif route.request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        helper = self.scriptless.new_page(viewport=page.viewport_size)
        try:
            helper.route("**/*", answer)
            helper.goto(url)
            return _run(helper, self.exclude)
        finally:
            helper.close()

    def watch_page(self, page) -> None:
        page.on("load", lambda: self.check(page))

    def watch_context(self, context) -> None:
        context.on("page", self.watch_page)
        close = context.close

        def check_then_close(*args: Any, **kwargs: Any) -> None:
            for page in context.pages:
                self.check(page)
            close(*args, **kwargs)

        # ``with context:`` and the fixtures' teardown both close through this.
        context.close = check_then_close

    def report(self) -> str:
        lines = []
        for url, rules in sorted(self.found.items()):
            lines.append(url)
            lines += [f"  {rule}" for rule in sorted(rules)]
        lines += [f"{url}\n  axe did not finish in time" for url in sorted(self.unfinished)]
        return "\n".join(lines)


class AuditedBrowser:
    """A Playwright browser whose every context and page the audit watches."""

    def __init__(self, browser, audit: Audit) -> None:
        self._browser = browser
        self._audit = audit
        self.contexts: list[Any] = []

    def new_context(self, **options: Any):
        context = self._browser.new_context(**options)
        if options.get("java_script_enabled") is False:
            context._werkplek_scriptless = True
            self._audit.scriptless = self._browser
        self._audit.watch_context(context)
        self.contexts.append(context)
        return context

    def new_page(self, **options: Any):
        # Like Playwright's: a page in a context of its own, which closes with it.
        page = self.new_context(**options).new_page()
        page.on("close", lambda: page.context.close())
        return page

    def close_contexts(self) -> None:
        """Check and close what the test left open."""
        from playwright.sync_api import Error

        for context in self.contexts:
            with suppress(Error):  # already closed, with its pages
                context.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


def serious_axe_violations(page, *, exclude: list[str] | None = None) -> list[str]:
    """The violations the city does not accept on any page: serious and critical ones."""
    return [
        line
        for line in axe_violations(page, exclude=exclude)
        if "(serious)" in line or "(critical)" in line
    ]
