"""Moving in from the legacy "circulaires": import a folder of files, export the same format.

The ``.md`` format is a YAML front-matter block and a Markdown body::

    ---
    title: Thuiswerk
    number: KUS-2024-0012          # optional: kept when given, else assigned
    summary: Wie mag thuiswerken?  # optional: else the first sentences, flagged
    department: HR-PB              # owner department code
    category: Personeel
    tags: [thuiswerk, telewerk]
    audience: all                  # or department codes and role-group names, comma-separated
    effective: 2024-01-01
    review: 2026-01-01
    expires: 2027-01-01            # optional
    requires_ack: true
    replaces: KUS-2019-0003        # optional, comma-separated
    restricted: false
    contact: mw200118              # optional username
    ack_by: 2024-02-01             # optional: acknowledge by
    audience_more:                 # optional: the audience's other rules
      departments_only: [FM]       #   without sub-departments
      people: [mw200118]           #   usernames; also sites, job_titles, worker_kind,
                                   #   except_departments, except_people
    ---
    ## Het tekstdeel …

Other files (``.txt``, ``.html``, ``.docx``, ``.pdf``) have no front matter: the
title comes from the file, the department from ``--department`` or from the name
of the folder they sit in (when it is a department code), the category from
``--category``.

A Werkplek export (``kus.export``) adds ``<number>.versions/`` beside each ``.md``: its
whole history, replayed version by version (with ``--publish``) into an empty Werkplek.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kus import actions, duplicates, numbers
from kus.export import HISTORY_SUFFIX, export_markdown
from kus.models import SUMMARY_MAX, Attachment, Category, Directive, DirectiveVersion, Status
from workplace.models import Audience, AudienceJobTitle, Department, Employee, WorkSite

SUFFIXES = {".md", ".markdown", ".txt", ".html", ".htm", ".docx", ".pdf"}
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)


class BadFile(Exception):
    """The reason a file cannot be imported (for the report)."""


class Unchanged(Exception):
    """The file is already in KUS exactly as it reads."""


@dataclass
class Legacy:
    """One legacy directive as read from a file, before it touches the database."""

    path: str  # relative to the imported folder: the identity of files without a number
    digest: str
    title: str
    body: str
    summary: str = ""
    number: str = ""
    department: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    audience: str = "all"
    effective: datetime.date | None = None
    review: datetime.date | None = None
    expires: datetime.date | None = None
    requires_ack: bool = False
    replaces: list[str] = field(default_factory=list)
    restricted: bool = False
    contact: str = ""
    status: str = ""
    ack_by: datetime.date | None = None
    audience_more: dict = field(default_factory=dict)
    raw: str = ""  # the .md text as read, to recognise an export of ours


@dataclass
class Plan:
    """What a legacy file asks for, checked and looked up (``Importer._parse``)."""

    department: Department
    category: Category
    rules: tuple[bool, list[Department], list[Group]]
    more: dict
    summary: str
    summary_flagged: bool
    metadata: dict = field(default_factory=dict)


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)


# --- reading files ----------------------------------------------------------------------------


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _date(meta: dict, key: str) -> datetime.date | None:
    value = meta.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise BadFile(
        _("bad date for %(key)s: %(value)s (use YYYY-MM-DD)") % {"key": key, "value": text}
    )


def _bool(meta: dict, key: str) -> bool:
    value = meta.get(key, False)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "yes", "ja", "1"}:
        return True
    if text in {"false", "no", "nee", "0", ""}:
        return False
    raise BadFile(_("%(key)s must be true or false, not %(value)s") % {"key": key, "value": value})


def read_markdown(text: str, path: str, digest: str) -> Legacy:
    match = FRONT_MATTER.match(text)
    meta: dict = {}
    body = text
    if match:
        try:
            # BaseLoader: every value stays text, so a bad date is reported as such.
            meta = yaml.load(match[1], Loader=yaml.BaseLoader) or {}
        except yaml.YAMLError as error:
            raise BadFile(
                _("the front matter is not valid YAML: %(error)s") % {"error": error}
            ) from None
        if not isinstance(meta, dict):
            raise BadFile(_("the front matter is not a list of fields"))
        body = text[match.end() :]
    body = body.strip("\n")
    title = str(meta.get("title") or "").strip()
    if not title:
        heading = re.match(r"\A#\s+(.+)\n+", body)
        if heading:
            title, body = heading[1].strip(), body[heading.end() :]
    return Legacy(
        path=path,
        digest=digest,
        title=title,
        body=body,
        summary=str(meta.get("summary") or "").strip(),
        number=str(meta.get("number") or "").strip().upper(),
        department=str(meta.get("department") or "").strip(),
        category=str(meta.get("category") or "").strip(),
        tags=_list(meta.get("tags")),
        audience=", ".join(_list(meta.get("audience", "all"))) or "all",
        effective=_date(meta, "effective"),
        review=_date(meta, "review"),
        expires=_date(meta, "expires"),
        requires_ack=_bool(meta, "requires_ack"),
        replaces=[n.upper() for n in _list(meta.get("replaces"))],
        restricted=_bool(meta, "restricted"),
        contact=str(meta.get("contact") or "").strip(),
        status=str(meta.get("status") or "").strip().lower(),
        ack_by=_date(meta, "ack_by"),
        audience_more=meta.get("audience_more") or {},
        raw=text,
    )


def read_file(file: Path, root: Path) -> Legacy:
    """Read one legacy file of any supported format; BadFile says why it cannot be read."""
    from kus.files import html_text, pdf_text

    data = file.read_bytes()
    path = file.relative_to(root).as_posix()
    digest = hashlib.sha256(data).hexdigest()
    suffix = file.suffix.lower()
    try:
        if suffix in {".md", ".markdown", ".txt", ".html", ".htm"}:
            text = data.decode("utf-8-sig").replace("\r\n", "\n")
            if suffix in {".md", ".markdown"}:
                return read_markdown(text, path, digest)
            if suffix == ".txt":
                title, _newline, body = text.strip().partition("\n")
                return Legacy(path=path, digest=digest, title=title.strip(), body=body.strip())
            title, body = html_text(text)
        elif suffix == ".docx":
            title, body = docx_markdown(data)
        else:
            # The first heading (the first line of text) is the title: the metadata's is
            # often a leftover of the word processor ("untitled", "Microsoft Word - doc1").
            title, _newline, body = pdf_text(data).strip().partition("\n")
    except BadFile:
        raise
    except UnicodeDecodeError:
        raise BadFile(_("unreadable: the text is not UTF-8")) from None
    except Exception as error:  # the parsers of damaged files raise many kinds
        raise BadFile(_("unreadable: %(error)s") % {"error": error.__class__.__name__}) from None
    if not title.strip() and body.strip():
        title, _newline, body = body.strip().partition("\n")
    if title.startswith("# "):
        title = title[2:]
    return Legacy(path=path, digest=digest, title=title.strip(), body=body.strip())


def _runs_markdown(paragraph) -> str:
    """A Word paragraph's text with bold and italic runs as Markdown emphasis."""
    parts = []
    for run in paragraph.runs:
        text = run.text
        if not text.strip():
            parts.append(text)
            continue
        lead, core, trail = (
            text[: len(text) - len(text.lstrip())],
            text.strip(),
            text[len(text.rstrip()) :],
        )
        if run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        parts.append(f"{lead}{core}{trail}")
    return "".join(parts).strip()


def docx_markdown(data: bytes) -> tuple[str, str]:
    """A Word document as (title, Markdown): headings, bullets, numbered lists, emphasis.

    The title is the first heading (or the first paragraph); headings below it keep
    their level (Heading 2 → ``##``); a list item is a paragraph in a list style or
    with Word's numbering properties.
    """
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    title, numbered = "", 0
    blocks: list[tuple[str, str]] = []
    for paragraph in document.paragraphs:
        text = _runs_markdown(paragraph)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        level = re.match(r"(?:Heading|Kop)\s*(\d)", style)
        is_title = style == "Title" or (level is not None and level[1] == "1")
        if not title and (is_title or not blocks):
            title = paragraph.text.strip()
            continue
        props = paragraph._p.pPr
        in_list = props is not None and props.numPr is not None
        if "Number" in style or "Nummer" in style:
            numbered += 1
            blocks.append(("item", f"{numbered}. {text}"))
            continue
        numbered = 0
        if "Bullet" in style or "List" in style or "Opsomming" in style or in_list:
            blocks.append(("item", f"- {text}"))
        elif level is not None:
            blocks.append(("block", "#" * max(2, int(level[1])) + " " + paragraph.text.strip()))
        else:
            blocks.append(("block", text))
    body = ""
    previous = ""
    for kind, text in blocks:
        separator = "\n" if kind == "item" and previous == "item" else "\n\n"
        body = f"{body}{separator}{text}" if body else text
        previous = kind
    return title, body


def first_sentences(body: str, limit: int = SUMMARY_MAX) -> str:
    """A stand-in summary: whole first sentences of the text, within the limit."""
    plain = re.sub(r"[#>*_`|]+", " ", body)
    plain = re.sub(r"\s+", " ", plain).strip()
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", plain):
        if len(summary) + len(sentence) + 1 > limit:
            break
        summary = f"{summary} {sentence}".strip()
    return summary or plain[: limit - 1].rstrip() + "…"


# --- writing to the database -----------------------------------------------------------------


class Importer:
    """Import a folder. Directives arrive as **drafts** (an editor submits them, another
    approves: four eyes), unless ``publish``: then the import stands in for the approval,
    its publications are announced as one batch, and acknowledgement is asked only with
    ``request_ack``."""

    def __init__(
        self,
        root: Path,
        *,
        department: str = "",
        category: str = "",
        dry_run: bool = False,
        publish: bool = False,
        request_ack: bool = False,
    ):
        self.root = root
        self.default_department = department
        self.default_category = category
        self.dry_run = dry_run
        self.publish = publish
        self.request_ack = request_ack
        self.batch = timezone.now()
        self.report = Report()
        self.departments = {d.code: d for d in Department.objects.all()}
        self.role_groups = {g.name: g for g in Group.objects.filter(department__isnull=True)}
        self.categories = {c.name.lower(): c for c in Category.objects.all()}
        self.categories.update({c.slug: c for c in self.categories.values()})
        self._numbers_seen: dict[str, str] = {}
        self._replaces: list[tuple[Legacy, str]] = []

    def files(self) -> list[Path]:
        if self.root.is_file():
            return [self.root]
        return sorted(
            p
            for p in self.root.rglob("*")
            if p.is_file()
            and p.suffix.lower() in SUFFIXES
            and not p.name.startswith(".")
            # A Werkplek export's history belongs to the .md beside it.
            and not any(part.endswith(HISTORY_SUFFIX) for part in p.relative_to(self.root).parts)
        )

    def run(self) -> Report:
        root = self.root.parent if self.root.is_file() else self.root
        for file in self.files():
            path = file.relative_to(root).as_posix()
            try:
                legacy = read_file(file, root)
                with transaction.atomic():
                    outcome, number = self.import_one(legacy, file)
                    if self.dry_run:
                        transaction.set_rollback(True)
            except Unchanged as same:
                outcome, number = "unchanged", str(same)
            except BadFile as error:
                self.report.errors.append((path, str(error)))
                continue
            except actions.ActionError as error:
                self.report.errors.append((path, error.message))
                continue
            getattr(self.report, outcome).append(f"{path} ({number})" if number else path)
            if legacy.replaces and not self.dry_run and self.publish:
                self._replaces.append((legacy, number))
            elif legacy.replaces and not self.publish:
                self.report.warnings.append(
                    (path, _("replaces %(numbers)s: name them when you publish this draft")
                     % {"numbers": ", ".join(legacy.replaces)})
                )  # fmt: skip
        for legacy, number in self._replaces:
            self.apply_replaces(legacy, number)
        return self.report

    # -- one file --

    def _department(self, legacy: Legacy, file: Path) -> Department:
        code = legacy.department or self.default_department
        if not code and file.parent != self.root:
            code = file.parent.name
        department = self.departments.get(code.upper()) if code else None
        if department is None:
            valid = ", ".join(sorted(self.departments))
            raise BadFile(
                _("unknown department %(code)s; valid codes: %(valid)s")
                % {"code": code or "—", "valid": valid}
            )
        return department

    def _category(self, legacy: Legacy) -> Category:
        name = (legacy.category or self.default_category).strip().lower()
        category = self.categories.get(name)
        if category is None:
            valid = ", ".join(sorted({c.name for c in self.categories.values()}))
            raise BadFile(
                _("unknown category %(name)s; valid categories: %(valid)s")
                % {"name": legacy.category or self.default_category or "—", "valid": valid}
            )
        return category

    def _audience_rules(self, text: str) -> tuple[bool, list[Department], list[Group]]:
        tokens = _list(text)
        if not tokens or [t.lower() for t in tokens] == ["all"]:
            return True, [], []
        if [t.lower() for t in tokens] == ["none"]:  # only the rules of audience_more
            return False, [], []
        departments, groups = [], []
        for token in tokens:
            if token.upper() in self.departments:
                departments.append(self.departments[token.upper()])
            elif token in self.role_groups:
                groups.append(self.role_groups[token])
            else:
                valid = ", ".join(["all", *sorted(self.departments), *sorted(self.role_groups)])
                raise BadFile(
                    _("unknown audience %(token)s; use: %(valid)s")
                    % {"token": token, "valid": valid}
                )
        return False, departments, groups

    def _audience_more(self, more) -> dict:
        """The ``audience_more`` rules, looked up; BadFile names what is unknown."""
        if not isinstance(more, dict):
            raise BadFile(_("audience_more must be a list of fields"))

        def departments(key: str) -> list[Department]:
            found = []
            for code in _list(more.get(key)):
                if code.upper() not in self.departments:
                    raise BadFile(
                        _("unknown department %(code)s in %(key)s") % {"code": code, "key": key}
                    )
                found.append(self.departments[code.upper()])
            return found

        def people(key: str) -> list[Employee]:
            names = _list(more.get(key))
            found = {e.username: e for e in Employee.objects.filter(username__in=names)}
            unknown = [n for n in names if n not in found]
            if unknown:
                raise BadFile(
                    _("unknown colleagues in %(key)s: %(names)s")
                    % {"key": key, "names": ", ".join(unknown)}
                )
            return [found[n] for n in names]

        names = _list(more.get("sites"))
        sites = list(WorkSite.objects.filter(name__in=names))
        if len(sites) != len(set(names)):
            known = {site.name for site in sites}
            raise BadFile(
                _("unknown work sites: %(names)s")
                % {"names": ", ".join(n for n in names if n not in known)}
            )
        return {
            "departments_only": departments("departments_only"),
            "excluded_departments": departments("except_departments"),
            "employees": people("people"),
            "excluded_employees": people("except_people"),
            "sites": sites,
            "job_titles": _list(more.get("job_titles")),
            "worker_kind": str(more.get("worker_kind") or "").strip(),
        }  # fmt: skip

    def _set_audience(self, audience: Audience, rules, more: dict) -> bool:
        all_staff, departments, groups = rules
        relations = (
            "departments_only",
            "excluded_departments",
            "employees",
            "excluded_employees",
            "sites",
        )

        def state() -> tuple:
            return (
                audience.all_staff,
                audience.worker_kind,
                set(audience.departments.values_list("pk", flat=True)),
                set(audience.groups.values_list("pk", flat=True)),
                *(set(getattr(audience, name).values_list("pk", flat=True)) for name in relations),
                set(audience.job_titles.values_list("title", flat=True)),
            )

        after = (
            all_staff,
            more.get("worker_kind", ""),
            {d.pk for d in departments},
            {g.pk for g in groups},
            *({obj.pk for obj in more.get(name, [])} for name in relations),
            set(more.get("job_titles", [])),
        )
        if state() == after:
            return False
        audience.all_staff, audience.worker_kind = all_staff, more.get("worker_kind", "")
        audience.save(update_fields=["all_staff", "worker_kind"])
        audience.departments.set(departments)
        audience.groups.set(groups)
        for name in relations:
            getattr(audience, name).set(more.get(name, []))
        audience.job_titles.all().delete()
        for title in more.get("job_titles", []):
            AudienceJobTitle.objects.create(audience=audience, title=title)
        return True

    def import_one(self, legacy: Legacy, file: Path) -> tuple[str, str]:
        """Parse, match, apply: ``("created" | "updated" | "unchanged", number)``."""
        plan = self._parse(legacy, file)
        directive = self._existing(legacy)
        history = file.parent / f"{file.stem}{HISTORY_SUFFIX}"
        if directive is None and file.suffix.lower() == ".md" and history.is_dir():
            if not self.publish:
                raise BadFile(_("a Werkplek export with its history: import it with --publish"))
            directive, outcome = self._create(legacy, plan, history), "created"
        elif directive is None:
            directive, outcome = self._create(legacy, plan), "created"
        else:
            known = (directive.current_version, actions.draft_of(directive))
            if any(v is not None and v.source_hash == legacy.digest for v in known):
                self._remember(legacy, directive)
                return "unchanged", directive.number or ""
            self._update(legacy, plan, directive)
            outcome = "updated"
        if legacy.status == "archived" and self.publish:
            actions.do_archive(directive)
        elif legacy.status == "archived":
            self.report.warnings.append(
                (legacy.path, _("archived in the old system: imported as a draft all the same"))
            )
        self._remember(legacy, directive)
        return outcome, directive.number

    def _parse(self, legacy: Legacy, file: Path) -> Plan:
        """Check the file's fields and look up what they name; BadFile says what is wrong."""
        if not legacy.title:
            raise BadFile(_("no title"))
        if not legacy.body.strip():
            raise BadFile(_("the text is empty"))
        if len(legacy.title) > 200:
            raise BadFile(_("the title is longer than 200 characters"))
        if len(legacy.summary) > SUMMARY_MAX:
            raise BadFile(_("the summary is longer than %(max)s characters") % {"max": SUMMARY_MAX})
        department = self._department(legacy, file)
        category = self._category(legacy)
        rules = self._audience_rules(legacy.audience)
        if legacy.number:
            self._check_number(legacy)
        contact = None
        if legacy.contact:
            contact = Employee.objects.filter(username=legacy.contact).first()
            if contact is None:
                self.report.warnings.append(
                    (legacy.path, _("unknown contact %(name)s") % {"name": legacy.contact})
                )
        if legacy.status and legacy.status not in {"published", "archived", "superseded"}:
            raise BadFile(_("unknown status %(status)s") % {"status": legacy.status})
        if legacy.effective and legacy.expires and legacy.expires <= legacy.effective:
            raise BadFile(_("the expiry date comes before the effective date"))
        return Plan(
            department=department,
            category=category,
            rules=rules,
            more=self._audience_more(legacy.audience_more),
            summary=legacy.summary or first_sentences(legacy.body),
            summary_flagged=not legacy.summary,
            metadata={
                "contact": contact,
                "requires_ack": legacy.requires_ack,
                "ack_by": legacy.ack_by,
                "restricted": legacy.restricted,
                "effective_from": legacy.effective or timezone.localdate(),
                "review_by": legacy.review,
                "expires_on": legacy.expires,
            },
        )

    def _check_number(self, legacy: Legacy) -> None:
        if not numbers.NUMBER_RE.match(legacy.number):
            raise BadFile(
                _("bad number %(number)s (use KUS-2026-0042)") % {"number": legacy.number}
            )
        other = self._numbers_seen.get(legacy.number)
        if other and other != legacy.path:
            raise BadFile(
                _("duplicate number %(number)s (also in %(other)s)")
                % {"number": legacy.number, "other": other}
            )

    def _create(self, legacy: Legacy, plan: Plan, history: Path | None = None) -> Directive:
        audience = Audience.objects.create()
        self._set_audience(audience, plan.rules, plan.more)
        if legacy.number:
            numbers.reserve_number(legacy.number)
        directive = actions.do_create_directive(
            None,
            text=actions.Text(legacy.title, plan.summary, legacy.body),
            owner_department=plan.department,
            category=plan.category,
            audience=audience,
            tags=legacy.tags,
            import_path=legacy.path,
            summary_needs_review=plan.summary_flagged,
            **({"number": legacy.number} if legacy.number else {}),
            **plan.metadata,
        )
        if history is not None:
            self._replay(directive, legacy, plan, history)
            return directive
        self._publish(directive, legacy, legacy.title, plan.summary)
        self._warn_near_duplicates(legacy, plan, directive)
        return directive

    def _replay(self, directive: Directive, legacy: Legacy, plan: Plan, history: Path) -> None:
        """Publish an export's versions in their order, with their attachments, notes and
        dates; the last one is the ``.md``'s current text. Nobody is asked to acknowledge
        an old version; the newest asks only with ``--request-acknowledgement``."""
        versions = []
        for path in history.glob("v*.md"):
            match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
            if not match:
                raise BadFile(_("%(path)s has no front matter") % {"path": path.name})
            meta = yaml.load(match[1], Loader=yaml.BaseLoader) or {}
            body = path.read_text(encoding="utf-8")[match.end() :].strip("\n")
            versions.append((int(meta.get("version", 0)), meta, body))
        versions.sort(key=lambda v: v[0])
        if [seq for seq, _meta, _body in versions] != list(range(1, len(versions) + 1)):
            raise BadFile(
                _("the versions in %(folder)s are not 1, 2, 3 …") % {"folder": history.name}
            )
        draft = directive.versions.get(published_at__isnull=True)
        dates = []
        for seq, meta, body in versions:
            last = seq == len(versions)
            if seq > 1:
                draft = DirectiveVersion(directive=directive)
            draft.title, draft.summary, draft.body = (
                meta.get("title", ""),
                meta.get("summary", ""),
                body,
            )
            draft.change_note = meta.get("change_note", "")
            draft.material = _bool(meta, "material")
            draft.imported = _bool(meta, "imported")
            draft.source_hash = legacy.digest if last else ""
            draft.approved_by = Employee.objects.filter(
                username=meta.get("approved_by") or ""
            ).first()
            draft.save()
            for name in _list(meta.get("attachments")):
                self._attach(draft, history / f"v{seq}" / Path(name).name, name)
            request = None if last and self.request_ack else False
            actions.do_publish_version(directive, draft, batch=self.batch, request_ack=request)
            published = meta.get("published")
            if published:
                when = datetime.datetime.fromisoformat(published)
                DirectiveVersion.objects.filter(pk=draft.pk).update(published_at=when)
                dates.append(when)
        Directive.objects.filter(pk=directive.pk).update(
            summary_needs_review=plan.summary_flagged,
            **({"published_at": dates[0], "updated": dates[-1]} if dates else {}),
        )  # fmt: skip

    def _attach(self, version: DirectiveVersion, path: Path, name: str) -> None:
        """An exported attachment, checked and read as an editor's upload is."""
        from kus.files import ATTACHMENTS, extract_text, kind_of
        from workplace import files

        if not path.is_file():
            raise BadFile(_("attachment %(name)s is missing") % {"name": name})
        try:
            checked = files.accept_upload(path.read_bytes(), ATTACHMENTS, name)
        except files.FileRejected as error:
            raise BadFile(f"{name}: {error.detail}") from None
        kind = kind_of(checked)
        attachment = Attachment(
            version=version,
            name=name[:200],
            kind=kind,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            text=extract_text(kind, checked.content),
        )
        content = checked.as_file()
        attachment.file.save(content.name or checked.name, content, save=False)
        attachment.save()

    def _warn_near_duplicates(self, legacy: Legacy, plan: Plan, directive: Directive) -> None:
        for other, score in duplicates.near_duplicates(
            None, f"{legacy.title}\n{plan.summary}\n{legacy.body}", exclude=directive.pk
        ):
            self.report.warnings.append(
                (
                    legacy.path,
                    _("resembles %(number)s %(title)s (%(percent)s%%)")
                    % {"number": other.number, "title": other.title, "percent": round(score * 100)},
                )
            )

    def _update(self, legacy: Legacy, plan: Plan, directive: Directive) -> None:
        """A new version of a directive imported before, through the same verbs as an edit.
        An imported draft nobody edited yet takes the new text in place."""
        draft = actions.draft_of(directive)
        if draft is not None and not (draft.imported and draft.edited_by_id is None):
            raise BadFile(
                _("%(number)s has a draft in Werkplek; publish or discard it first")
                % {"number": directive.number or directive.title}
            )
        actions.do_update_metadata(
            directive,
            tags=legacy.tags,
            audience_changed=self._set_audience(directive.audience, plan.rules, plan.more),
            owner_department=plan.department,
            category=plan.category,
            **plan.metadata,
            import_path=legacy.path,
            summary_needs_review=plan.summary_flagged,
        )
        if draft is None:
            DirectiveVersion.objects.create(
                directive=directive,
                title=legacy.title,
                summary=plan.summary,
                body=legacy.body,
                change_note=_("Changed in the legacy system"),
            )
        else:
            draft.body = legacy.body
            draft.save(update_fields=["body"])
        self._publish(directive, legacy, legacy.title, plan.summary)

    def _remember(self, legacy: Legacy, directive: Directive) -> None:
        self._numbers_seen[directive.number] = legacy.path

    def _existing(self, legacy: Legacy) -> Directive | None:

        if legacy.number:
            directive = (
                Directive.objects.select_related("current_version", "audience", "owner_department")
                .filter(number=legacy.number)
                .first()
            )
            if (
                directive is not None
                and directive.import_path != legacy.path
                and directive.current_version_id
                and legacy.raw
                and export_markdown(directive).strip() == legacy.raw.strip()
            ):
                # Our own export of this very directive, read back: nothing to do.
                raise Unchanged(directive.number)
            if directive is not None and directive.import_path not in ("", legacy.path):
                raise BadFile(
                    _("duplicate number %(number)s (already imported from %(other)s)")
                    % {"number": legacy.number, "other": directive.import_path}
                )
            if directive is not None and not directive.import_path:
                raise BadFile(
                    _("duplicate number %(number)s (already used in Werkplek)")
                    % {"number": legacy.number}
                )
            return directive
        return (
            Directive.objects.select_related("current_version", "audience", "owner_department")
            .filter(import_path=legacy.path)
            .first()
        )

    def _publish(self, directive: Directive, legacy: Legacy, title: str, summary: str) -> None:
        """Publish the draft as imported (``--publish``), or keep it a draft for four eyes."""
        draft = directive.versions.get(published_at__isnull=True)
        draft.title, draft.summary = title, summary
        draft.imported, draft.source_hash = True, legacy.digest
        draft.save(update_fields=["title", "summary", "imported", "source_hash"])
        if not self.publish:
            if directive.current_version_id is None:
                Directive.objects.filter(pk=directive.pk).update(
                    title=title,
                    summary=summary,
                    summary_needs_review=directive.summary_needs_review,
                )
            return
        actions.do_publish_version(
            directive, draft, batch=self.batch, request_ack=None if self.request_ack else False
        )
        Directive.objects.filter(pk=directive.pk).update(
            summary_needs_review=directive.summary_needs_review
        )

    def apply_replaces(self, legacy: Legacy, number: str) -> None:
        new = Directive.objects.get(number=number)  # imported just before
        for old_number in legacy.replaces:
            old = Directive.objects.filter(number=old_number).first()
            if old is None:
                self.report.warnings.append(
                    (
                        legacy.path,
                        _("replaces %(number)s, which is unknown") % {"number": old_number},
                    )
                )
                continue
            if old.replaced_by_id == new.pk and old.status == Status.SUPERSEDED:
                continue
            actions.do_supersede(old, new)
