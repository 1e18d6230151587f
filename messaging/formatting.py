"""Light Markdown for message bodies: emphasis, code, lists, links and @mentions.

The body is stored as typed; HTML is rendered from it and sanitized with nh3,
so neither a page nor the page's JavaScript ever inserts unchecked markup.
"""

from __future__ import annotations

import re

import markdown
import nh3

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.-]{2,150})")
ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote"}


def mentioned_usernames(body: str) -> set[str]:
    return {name.rstrip(".").lower() for name in MENTION.findall(body)}


def render_body(body: str) -> str:
    # Raw HTML in a message is text, not markup: escape it before Markdown sees it.
    escaped = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = MENTION.sub(lambda m: f"[@{m[1]}](/mensen/{m[1].rstrip('.')}/)", escaped)
    html = markdown.markdown(escaped, extensions=["nl2br", "sane_lists"], output_format="html")
    linked = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    return _autolink(linked)


# The text is already HTML: a quote or an escaped < > ends a URL, or it would end the
# href attribute it is put in (and open the tag to a typed event handler).
URL = re.compile(
    r"(?<![\"'=>])\bhttps?://(?:(?!&(?:lt|gt|quot);)[^\s<\"])*"
    r"(?:(?!&(?:lt|gt|quot);)[^\s<.,;:!?)\]'\"])"
)


def _autolink(html: str) -> str:
    """Bare URLs become links, except where they already are one."""
    parts = re.split(r"(<a\b.*?</a>|<code>.*?</code>)", html, flags=re.S)
    for index in range(0, len(parts), 2):
        parts[index] = URL.sub(
            lambda m: f'<a href="{m[0]}" rel="noopener noreferrer nofollow">{m[0]}</a>',
            parts[index],
        )
    return "".join(parts)
