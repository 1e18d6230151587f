"""The main pages of Werkplek, for the browser tests that walk every one of them.

``world`` is the security matrix's small city (``tests.security.world``): Alice, its
member, can see something on every page; Lies of the communication team edits its
campaign."""

from __future__ import annotations

from tests.security.world import World, build_world
from tests.servers import off_loop


def employee_pages(world: World) -> list[str]:
    return [
        "/",
        "/stroom/",
        f"/stroom/berichten/{world.closed_post.pk}/",
        "/kus/",
        f"/kus/{world.restricted.number}/",
        "/zoeken/?q=sleutel",
        "/mensen/",
        "/mensen/alice/",
        "/meldingen/",
        "/berichten/",
        f"/berichten/{world.group.pk}/",
        "/enquetes/",
        "/meer/",
    ]


def communication_pages(world: World) -> list[str]:
    return ["/campagnes/", f"/campagnes/{world.campaign.pk}/", "/aankondigingen/"]


def make_world() -> World:
    """The world, built beside Playwright's event loop (see ``off_loop``)."""
    return off_loop(build_world)


NO_HORIZONTAL_OVERFLOW = "document.scrollingElement.scrollWidth <= window.innerWidth"

# Every word on the page whose letters are spread over more than one line. A line may end
# at a space, a hyphen or a slash; within a word it may not (apart from the odd URL or
# very long word in what people wrote, which the pages here do not have).
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (!element || element.closest('.visually-hidden, script, style, [hidden]')) continue;
    if (!element.getClientRects().length) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const tops = new Set(rects.map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  return broken;
}"""

# The elements (by selector) whose whole text does not fit on one line.
SPREAD_OVER_LINES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(element => element.getClientRects().length)
  .filter(element => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const tops = new Set(rects.map(r => Math.round(r.top)));
    return tops.size > 1;
  })
  .map(element => element.textContent.trim())"""
