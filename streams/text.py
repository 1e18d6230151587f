"""From what someone typed to safe HTML: light Markdown, @mentions and #topics.

Mentions and topics become Markdown links before Markdown runs, and nh3
cleans the result, so whatever HTML someone types ends up as harmless text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.urls import reverse

from workplace.models import Employee

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.\-]{0,149})")
TOPIC_RE = re.compile(r"(?<![\w&#/])#([^\W_][\w-]{0,49})")
BARE_URL_RE = re.compile(r"(?<![(<\[\"'])\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "blockquote"}
MARKDOWN = markdown.Markdown(extensions=["sane_lists", "nl2br"])


@dataclass
class Rendered:
    html: str
    mentions: list[Employee] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


def _escape_link_text(text: str) -> str:
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


def find_mentions(body: str) -> dict[str, Employee]:
    """Active employees named as ``@username``; unknown names stay plain text."""
    candidates = set()
    for match in MENTION_RE.finditer(body):
        name = match.group(1)
        candidates.add(name)
        candidates.add(name.rstrip(".-"))
    if not candidates:
        return {}
    people = Employee.objects.filter(username__in=candidates, is_active=True)
    return {person.username: person for person in people}


def find_topics(body: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in TOPIC_RE.finditer(body):
        seen.setdefault(match.group(1).lower()[:50], None)
    return list(seen)


def render(body: str, people: dict[str, Employee] | None = None) -> Rendered:
    """``people`` (username → employee) saves the lookup when the caller knows them all."""
    if people is None:
        people = find_mentions(body)
    mentioned: dict[str, Employee] = {}

    def mention(match: re.Match) -> str:
        name = match.group(1)
        for candidate in (name, name.rstrip(".-")):
            person = people.get(candidate)
            if person is not None:
                mentioned[person.username] = person
                rest = name[len(candidate) :]
                label = _escape_link_text(f"@{person}")
                return f"[{label}]({person.get_absolute_url()}){rest}"
        return match.group(0)

    def topic(match: re.Match) -> str:
        name = match.group(1).lower()[:50]
        url = reverse("streams:topic", args=[name])
        return f"[\\#{_escape_link_text(match.group(1))}]({url})"

    def bare_url(match: re.Match) -> str:
        return f"<{match.group(0)}>"

    text = BARE_URL_RE.sub(bare_url, body)
    text = MENTION_RE.sub(mention, text)
    text = TOPIC_RE.sub(topic, text)
    MARKDOWN.reset()
    html = nh3.clean(
        MARKDOWN.convert(text),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Rendered(html=html, mentions=list(mentioned.values()), topics=find_topics(body))
