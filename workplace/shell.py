"""The parts of every page that other modules contribute to.

Modules register their bottom-navigation entry, their start-page panels and
their notices above every page's content from their ``AppConfig.ready``, so
the core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    """An entry of the main navigation (the bottom bar on phones).

    ``badge(request)`` may return a count to show beside the label (unread
    messages, say). To keep it live on every page, name a JSON endpoint
    (``badge_url_name``, answering ``{badge_field: count}``) and the WebSocket
    event types after which to ask it again (``badge_events``).
    """

    key: str
    label: Any  # a lazy translation
    url_name: str
    icon: str
    order: int
    badge: Callable[[HttpRequest], int] | None = None
    badge_url_name: str = ""
    badge_field: str = "count"
    badge_events: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def badge_url(self) -> str:
        return reverse(self.badge_url_name) if self.badge_url_name else ""


@dataclass(frozen=True)
class HomePanel:
    """A block on the start page: ``context(request)`` returns None to hide it.

    With ``todo`` it is part of the "Voor jou te doen" card that opens the start
    page: its template renders rows (``<li>``, each a link with the class
    ``todo-row``) of what the user still has to do, and its context is None when
    there is nothing. With no rows at all the card says "Alles gelezen".
    """

    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int
    todo: bool = False


@dataclass(frozen=True)
class ObjectLink:
    """A link another module adds to a profile or department page ("Posts by …")."""

    label: Any  # a lazy translation
    url: Callable[[Any], str]
    order: int = 50


@dataclass(frozen=True)
class PageNotice:
    """A block above the content of every page (an urgent message to acknowledge, say).

    ``context(request)`` runs on every page of a signed-in employee, so it must be
    cheap when there is nothing to show, and returns None then. The template gets
    what it returns as ``notice``.
    """

    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    order: int = 50
    #: Something to do (an urgent message to acknowledge): while it shows, the start
    #: page does not say "Alles gelezen". It is not repeated in the to-do card.
    todo: bool = False


nav_items: dict[str, NavItem] = {}
object_links: dict[str, list[ObjectLink]] = {
    "profile": [],
    "department": [],
    "composer": [],
    "directive": [],
    "more": [],
}
home_panels: list[HomePanel] = []
page_notices: list[PageNotice] = []


def register_nav(item: NavItem) -> None:
    nav_items[item.key] = item


def register_home_panel(panel: HomePanel) -> None:
    if panel not in home_panels:
        home_panels.append(panel)


def register_page_notice(notice: PageNotice) -> None:
    if notice not in page_notices:
        page_notices.append(notice)


def register_object_link(kind: str, link: ObjectLink) -> None:
    """``kind`` is "profile" (the object is an Employee), "department", "directive" (on a
    directive's progress page, for its editors), "composer" (the object is the user
    writing a post: links to other ways of saying something) or "more" (the "More" page;
    the object is the user). A link whose ``url`` returns an empty address is not shown."""
    if link not in object_links[kind]:
        object_links[kind].append(link)


def links_for(kind: str, obj: Any) -> list[tuple[Any, str]]:
    links = [
        (link.label, link.url(obj)) for link in sorted(object_links[kind], key=lambda x: x.order)
    ]
    return [(label, url) for label, url in links if url]


def navigation(request: HttpRequest | None = None) -> list[dict[str, Any]]:
    """The entries in order, each with its badge count for this request."""
    entries = []
    for item in sorted(nav_items.values(), key=lambda item: item.order):
        count = item.badge(request) if item.badge and request is not None else 0
        # The template gets the flag and the count, never the function: Django
        # templates call callables they meet, without the request.
        entries.append({"item": item, "has_badge": item.badge is not None, "badge": count})
    return entries


def panels_for(request: HttpRequest, *, todo: bool = False) -> list[tuple[str, dict[str, Any]]]:
    """The start page's panels (``todo``: the rows of its to-do card instead)."""
    rendered = []
    for panel in sorted(home_panels, key=lambda p: p.order):
        if panel.todo != todo:
            continue
        context = panel.context(request)
        if context is not None:
            rendered.append((panel.template, context))
    return rendered


def _shown_notices(request: HttpRequest) -> list[tuple[PageNotice, dict[str, Any]]]:
    shown = []
    for notice in sorted(page_notices, key=lambda n: n.order):
        context = notice.context(request)
        if context is not None:
            shown.append((notice, context))
    return shown


def notices_for(request: HttpRequest) -> list[tuple[str, dict[str, Any]]]:
    return [(notice.template, context) for notice, context in _shown_notices(request)]


def start_page(request: HttpRequest) -> dict[str, Any]:
    """What the modules put on the start page, for its template.

    ``todo`` (the rows of "Voor jou te doen"), ``all_done`` (nothing to do, not even
    a notice above the page), ``panels``, and ``page_notices``: worked out here once,
    in place of the context processor's lazy call, so that the card knows about the
    notices without asking for them twice.
    """
    notices = _shown_notices(request)
    todo = panels_for(request, todo=True)
    return {
        "page_notices": [(notice.template, context) for notice, context in notices],
        "todo": todo,
        "all_done": not todo and not any(notice.todo for notice, _context in notices),
        "panels": panels_for(request),
    }
