"""KUS export: every published directive in the ``kus_import`` format, with its history,
so that importing the folder into an empty Werkplek gives the same directives.

Per directive ``<number>.md`` holds the current text and the metadata (the format of
``kus.legacy``, read by any importer), and ``<number>.versions/`` the history::

    KUS-2026-0042.md
    KUS-2026-0042.versions/v1.md        # front matter: version, title, summary, change
    KUS-2026-0042.versions/v2.md        #   note, material, published, approved_by,
    KUS-2026-0042.versions/v2/plan.pdf  #   imported, attachments; the body below
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kus.access import visible_directives
from kus.models import Directive, Status
from workplace.models import Audience, Employee

HISTORY_SUFFIX = ".versions"


def audience_tokens(audience: Audience) -> str:
    if audience.all_staff:
        return "all"
    tokens = sorted(d.code for d in audience.departments.all())
    tokens += sorted(g.name for g in audience.groups.all())
    return ", ".join(tokens) or ("none" if audience_more(audience) else "all")


def audience_more(audience: Audience) -> dict:
    """The audience's rules beyond departments and role groups (``audience_more:``)."""
    more = {
        "departments_only": sorted(d.code for d in audience.departments_only.all()),
        "sites": sorted(s.name for s in audience.sites.all()),
        "people": sorted(e.username for e in audience.employees.all()),
        "job_titles": sorted(t.title for t in audience.job_titles.all()),
        "worker_kind": audience.worker_kind,
        "except_departments": sorted(d.code for d in audience.excluded_departments.all()),
        "except_people": sorted(e.username for e in audience.excluded_employees.all()),
    }
    return {k: v for k, v in more.items() if v}


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
        "audience_more": audience_more(directive.audience),
        "effective": directive.effective_from,
        "review": directive.review_by,
        "expires": directive.expires_on,
        "requires_ack": directive.requires_ack,
        "ack_by": directive.ack_by,
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
    meta = {k: v for k, v in meta.items() if v not in (None, "", [], {})}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{version.body.strip()}\n"


def export_folder(target: Path, user: Employee | None = None) -> list[Path]:
    """Write every published directive (those ``user`` may see, when given) as ``<number>.md``."""
    target.mkdir(parents=True, exist_ok=True)
    directives = visible_directives(user) if user is not None else Directive.objects.all()
    directives = (
        directives.filter(current_version__isnull=False)
        .select_related("current_version", "owner_department", "category", "contact", "audience")
        .prefetch_related(
            "tags",
            "replaces",
            "audience__departments",
            "audience__groups",
            "audience__departments_only",
            "audience__sites",
            "audience__employees",
            "audience__job_titles",
            "audience__excluded_departments",
            "audience__excluded_employees",
        )
        .order_by("number")
    )
    visible = set(directives.values_list("pk", flat=True)) if user is not None else None
    written = []
    for directive in directives:
        path = target / f"{directive.number}.md"
        path.write_text(export_markdown(directive, visible), encoding="utf-8")
        export_history(directive, target / f"{directive.number}{HISTORY_SUFFIX}")
        written.append(path)
    return written


def export_history(directive: Directive, folder: Path) -> None:
    """Every published version of the directive, with its attachments, into ``folder``."""
    folder.mkdir(exist_ok=True)
    versions = (
        directive.versions.filter(published_at__isnull=False)
        .select_related("approved_by")
        .prefetch_related("attachments")
        .order_by("seq")
    )
    for version in versions:
        attachments = list(version.attachments.all())
        meta = {
            "version": version.seq,
            "title": version.title,
            "summary": version.summary,
            "change_note": version.change_note,
            "material": version.material,
            "published": version.published_at.isoformat() if version.published_at else "",
            "approved_by": version.approved_by.username if version.approved_by else "",
            "imported": version.imported,
            "attachments": [a.name for a in attachments],
        }
        meta = {k: v for k, v in meta.items() if v not in (None, "", [])}
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        text = f"---\n{front}---\n{version.body.strip()}\n"
        (folder / f"v{version.seq}.md").write_text(text, encoding="utf-8")
        if attachments:
            files = folder / f"v{version.seq}"
            files.mkdir(exist_ok=True)
            for attachment in attachments:
                with attachment.file.open("rb") as stored:
                    (files / Path(attachment.name).name).write_bytes(stored.read())
