"""Imports from the browser: upload, dry run, then confirm without uploading again.

The uploaded file waits under the data directory (``imports/``) with a random
name; the session holds that token with what the dry run counted, so only the
one who uploaded it can confirm, and only for ``PENDING_SECONDS``. Confirming
runs the same import again, in one transaction: if the result is not what the
dry run showed (someone changed the database in between), it is rolled back
and the new dry run is shown instead. Old files are removed at the next upload.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from workplace.importers import (
    CsvFileError,
    ImportReport,
    RowError,
    TooManyDeactivations,
    import_departments,
    import_employees,
    read_rows,
)
from workplace.models import Employee

DEPARTMENTS, EMPLOYEES = "departments", "employees"
PENDING_SECONDS = 30 * 60
MAX_BYTES = 5 * 1024 * 1024
# One transaction holds SQLite's write lock while it runs: larger files belong to the
# command line, which writes in short batches (docs/imports.md).
MAX_ROWS = 15_000
SESSION_KEY = "werkplek_pending_import"


@dataclass
class PendingImport:
    token: str
    kind: str
    filename: str
    deactivate_missing: bool
    announce_new: bool
    created: float
    counts: tuple[int, int, int, int] = (0, 0, 0, 0)

    @property
    def path(self) -> Path:
        return _folder() / f"{self.token}.csv"


def _folder() -> Path:
    return Path(settings.DATA_DIR) / "imports"


def _counts(report: ImportReport) -> tuple[int, int, int, int]:
    return (report.created, report.updated, report.unchanged, report.deactivated)


def keep_upload(
    request: HttpRequest,
    upload: UploadedFile,
    *,
    kind: str,
    deactivate_missing: bool = False,
    announce_new: bool = True,
) -> PendingImport:
    """Store the file for the dry run and the confirmation; it replaces the user's
    previous pending import. Raises ``CsvFileError`` for a file that is too large."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise CsvFileError(
            _("The file is larger than %(mb)d MB. Import it from the command line.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    _purge(folder)
    discard(request)
    pending = PendingImport(
        token=secrets.token_urlsafe(24),
        kind=kind,
        filename=Path(upload.name or "import.csv").name[:200],
        deactivate_missing=deactivate_missing and kind == EMPLOYEES,
        announce_new=announce_new,
        created=time.time(),
    )
    with pending.path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _save(request, pending)
    return pending


def find_pending(request: HttpRequest, token: str | None) -> PendingImport | None:
    """The session's pending import with this token (None: whichever it has), while it
    lasts; else None."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    if token is not None and not hmac.compare_digest(str(stored.get("token", "")), token):
        return None
    pending = PendingImport(**{**stored, "counts": tuple(stored["counts"])})
    if time.time() - pending.created > PENDING_SECONDS or not pending.path.exists():
        discard(request)
        return None
    return pending


def discard(request: HttpRequest) -> None:
    stored = request.session.pop(SESSION_KEY, None)
    if stored:
        (_folder() / f"{stored['token']}.csv").unlink(missing_ok=True)


def check_import(request: HttpRequest, pending: PendingImport, user: Employee) -> ImportReport:
    """The dry run: what confirming would do, with every problem per line. Its counts are
    kept, so that the confirmation can tell whether anything changed since."""
    report = _run(pending, user, dry_run=True)
    pending.counts = _counts(report)
    _save(request, pending)
    return report


def do_import(
    request: HttpRequest, pending: PendingImport, user: Employee
) -> tuple[ImportReport, bool]:
    """Apply the pending import in one transaction. Returns the report and whether it
    was written: not when it has problems now, or counts other than the dry run showed
    (then it is the new dry run, to be confirmed again)."""
    with transaction.atomic():
        report = _run(pending, user, dry_run=False)
        written = report.ok and _counts(report) == pending.counts
        if not written:
            transaction.set_rollback(True)
    if written:
        discard(request)
    else:
        report.dry_run = True
        pending.counts = _counts(report)
        _save(request, pending)
    return report, written


def _run(pending: PendingImport, user: Employee, *, dry_run: bool) -> ImportReport:
    try:
        rows = read_rows(pending.path, ())
        if len(rows) > MAX_ROWS:
            raise CsvFileError(
                _("The file has more than %(n)d rows. Import it from the command line.")
                % {"n": MAX_ROWS}
            )
        if pending.kind == DEPARTMENTS:
            return import_departments(pending.path, dry_run=dry_run)
        return import_employees(
            pending.path,
            dry_run=dry_run,
            deactivate_missing=pending.deactivate_missing,
            announce_new=pending.announce_new,
            batch_size=None,
            issuer=user,
            label=pending.filename,
        )
    except TooManyDeactivations as error:
        message = _(
            "The file would deactivate %(missing)d of %(active)d active employees, more "
            "than %(limit)d %%. Is the file complete? Ask an administrator to import it "
            "from the command line if it is."
        ) % {"missing": error.missing, "active": error.active, "limit": error.limit}
        return ImportReport(dry_run=True, errors=[RowError(0, message)])
    except CsvFileError as error:
        return ImportReport(dry_run=True, errors=[RowError(0, str(error))])


def _save(request: HttpRequest, pending: PendingImport) -> None:
    request.session[SESSION_KEY] = {**asdict(pending), "counts": list(pending.counts)}


def _purge(folder: Path) -> None:
    """Remove what uploads left behind that nobody confirmed in time."""
    cutoff = time.time() - PENDING_SECONDS
    for path in folder.glob("*.csv"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # another request removed it first
