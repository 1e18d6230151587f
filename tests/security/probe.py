"""A Chromium page that notices script it did not write.

Every vector of ``xss_vectors.txt`` calls ``xss(n)`` when it runs. ``Probe`` installs
that sink in every frame before the page's own scripts, listens for dialogs,
uncaught errors and Content-Security-Policy violations, and after each page
load looks through the DOM for live markup that only an injection can have
put there: an ``on…`` attribute (Werkplek writes none: its CSP forbids them), a
``javascript:`` URL, an inline or foreign script, a frame, an object, a style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

VECTORS_FILE = Path(__file__).with_name("xss_vectors.txt")


def load_vectors() -> list[str]:
    """The corpus, numbered from 1: ``{n}`` becomes the vector's number, ``\\n`` a newline."""
    lines = [
        line
        for line in VECTORS_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith(";;")
    ]
    return [
        line.replace("{n}", str(number)).replace("\\n", "\n")
        for number, line in enumerate(lines, start=1)
    ]


INIT_SCRIPT = """
(() => {
  const hits = [], violations = [];
  Object.defineProperty(window, "__xss", { value: { hits, violations } });
  window.xss = (n) => {
    try { window.top.__xss.hits.push(String(n)); } catch (e) { hits.push(String(n)); }
  };
  document.addEventListener("securitypolicyviolation", (e) => {
    violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}: ${e.sample}`);
  });
})();
"""

# Everything that is live markup when it comes from user text; Werkplek's own pages hold
# none of it (scripts come from /static/, no inline handlers, styles or frames).
DOM_CHECK = """
() => {
  const found = [];
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data",
    "poster", "background", "srcdoc", "content", "srcset", "ping"]);
  const own = (url) => url.startsWith(location.origin + "/static/");
  // As the browser reads the URL: it drops blanks, tabs and newlines, and decodes nothing.
  const dangerous = (value) => {
    let url;
    try { url = new URL(value, document.baseURI); } catch (e) { return false; }
    return ["javascript:", "vbscript:"].includes(url.protocol) ||
      (url.protocol === "data:" && !/^data:image\\/(png|jpeg|gif|webp)[;,]/i.test(url.href));
  };
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`<${tag} ${name}="${attr.value.slice(0, 60)}">`);
      else if (urlAttributes.has(name) && dangerous(attr.value))
        found.push(`<${tag} ${name}="${attr.value.slice(0, 60)}">`);
    }
    if (tag === "script" && !(el.src && own(el.src)))
      found.push(`<script> ${el.src || el.textContent.slice(0, 60)}`);
    if (["iframe", "frame", "object", "embed", "base", "style", "applet", "xss", "isindex"]
        .includes(tag)) found.push(`<${tag}>`);
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push(`<meta http-equiv>`);
    if (tag === "link" && !own(el.href)) found.push(`<link href="${el.getAttribute("href")}">`);
  }
  const text = document.documentElement.innerText;
  for (const marker of ["49xss", "test-secret-key"])
    if (text.includes(marker)) found.push(`text ${marker}`);
  return found;
}
"""


# Lazy images off screen never load: they are not waited for; nor is anything for more
# than 5 s (a condition, not a sleep: it ends as soon as the images did).
SETTLE = """
() => Promise.race([
  Promise.all([...document.images]
      .filter((image) => !image.complete && image.loading !== "lazy")
      .map((image) => new Promise((done) => {
        image.addEventListener("load", done);
        image.addEventListener("error", done);
      })))
    .then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))),
  new Promise((done) => setTimeout(done, 5000)),
])
"""


@dataclass
class Probe:
    """One browser context for one viewer; ``visit`` loads a page and records what ran."""

    context: object
    base_url: str
    findings: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context.add_init_script(INIT_SCRIPT)
        self.page = self.context.new_page()
        self._events: list[str] = []
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda error: self._events.append(f"page error: {error}"))
        self.page.on("console", self._on_console)

    def _on_dialog(self, dialog) -> None:
        self._events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self._events.append(f"console: {message.text[:200]}")

    def visit(self, path: str, *, settle: bool = True, until: str | None = None):
        """Load ``path``, let its images load or fail and two frames pass (what a vector's
        handler or animation would need to run), and record every finding."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        if until:
            self.page.wait_for_function(until, timeout=15_000)
        if settle:
            self.page.evaluate(SETTLE)
        self.check(path)
        return self.page

    def check(self, where: str) -> None:
        state = self.page.evaluate(
            "() => ({hits: window.__xss.hits, csp: window.__xss.violations})"
        )
        self.visited.append(where)
        self.findings += [f"{where}: vector {n} ran" for n in state["hits"]]
        self.findings += [f"{where}: CSP {v}" for v in state["csp"]]
        self.findings += [f"{where}: {event}" for event in self._events]
        self.findings += [f"{where}: live markup {m}" for m in self.page.evaluate(DOM_CHECK)]
        self._events.clear()

    def next_link(self, selector: str) -> str | None:
        """The href of the page's "older"/"next" link, if it has one."""
        link = self.page.locator(selector)
        return link.first.get_attribute("href") if link.count() else None


def vector_numbers(findings: list[str]) -> set[int]:
    return {int(n) for n in re.findall(r"vector (\d+) ran", "\n".join(findings))}
