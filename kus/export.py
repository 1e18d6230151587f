"""KUS export: every published directive in the ``kus_import`` format, so a round trip is
lossless (the format is described in ``kus.legacy``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from kus.access import visible_directives
from kus.models import Directive, Status
from workplace.models import Audience, Employee


def audience_tokens(audience: Audience) -> str:
    if audience.all_staff:
        return "all"
    tokens = sorted(d.code for d in audience.departments.all())
    tokens += sorted(g.name for g in audience.groups.all())
    return ", ".join(tokens) or "all"


def export_markdown(directive: Directive, visible: set[int] | None = None) -> str:
    """The directive's current text and metadata in the legacy ``.md`` format.

    ``visible``: the ids the reader may see; replaced directives outside it stay unnamed.
    """
    version = directive.current_version
    meta: dict = {
        "title": version.title,
        "number": directive.number,
        "summary": version.summary,
        "department": directive.owner_department.code,
        "category": directive.category.name,
        "tags": sorted(t.name for t in directive.tags.all()),
        "audience": audience_tokens(directive.audience),
        "effective": directive.effective_from,
        "review": directive.review_by,
        "expires": directive.expires_on,
        "requires_ack": directive.requires_ack,
        "replaces": ", ".join(
            sorted(
                d.number
                for d in directive.replaces.all()
                if d.number and (visible is None or d.pk in visible)
            )
        ),
        "restricted": directive.restricted,
        "contact": directive.contact.username if directive.contact else "",
    }
    if directive.summary_needs_review:
        del meta["summary"]
    if directive.status == Status.ARCHIVED:
        meta["status"] = "archived"
    meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{version.body.strip()}\n"


def export_folder(target: Path, user: Employee | None = None) -> list[Path]:
    """Write every published directive (those ``user`` may see, when given) as ``<number>.md``."""
    target.mkdir(parents=True, exist_ok=True)
    directives = visible_directives(user) if user is not None else Directive.objects.all()
    directives = (
        directives.filter(current_version__isnull=False)
        .select_related("current_version", "owner_department", "category", "contact", "audience")
        .prefetch_related("tags", "replaces", "audience__departments", "audience__groups")
        .order_by("number")
    )
    visible = set(directives.values_list("pk", flat=True)) if user is not None else None
    written = []
    for directive in directives:
        path = target / f"{directive.number}.md"
        path.write_text(export_markdown(directive, visible), encoding="utf-8")
        written.append(path)
    return written
