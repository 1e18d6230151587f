"""Files stored before the checks existed: re-check, re-encode and rename them.

Each app registers its file fields in ``AppConfig.ready()``; ``manage.py files_secure``
runs them all. A file is done once it has a random name in its folder, so the command
can run again at any time (after a deployment, or when it was interrupted) and only
touches what is left.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import models, transaction

from workplace.files.checks import CheckedFile, UploadPolicy, check_upload
from workplace.files.storage import RandomName, delete_on_commit, is_random_name
from workplace.files.types import FileRejected

logger = logging.getLogger(__name__)


def _no_columns(checked: CheckedFile | None) -> dict[str, object]:
    return {}


def _no_legacy_locations() -> list[Storage]:
    return []


@dataclass(frozen=True)
class StoredFiles:
    """One file field whose existing files ``secure_stored_files`` re-checks."""

    model: type[models.Model]
    field: str
    policy: UploadPolicy
    folder: str  # the ``RandomName`` folder of the field
    # Other columns to set from the result (None: refused, and kept as a download).
    columns: Callable[[CheckedFile | None], dict[str, object]] = _no_columns
    # A photo that is none cannot be shown: it goes instead of becoming a download.
    drop_refused: bool = False
    # Where the field's files were kept before, for those the default storage has not got.
    legacy_locations: Callable[[], list[Storage]] = _no_legacy_locations

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"


_registry: dict[str, StoredFiles] = {}


def register_stored_files(kind: StoredFiles) -> None:
    _registry[kind.label] = kind


def registered() -> list[StoredFiles]:
    return list(_registry.values())


@dataclass
class Report:
    """Counts per outcome; ``by_field`` has the same per registered field."""

    already: int = 0
    secured: int = 0
    kept_as_download: int = 0
    dropped: int = 0
    missing: int = 0
    by_field: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: StoredFiles, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        counts = self.by_field.setdefault(kind.label, {})
        counts[outcome] = counts.get(outcome, 0) + 1

    def as_dict(self) -> dict[str, object]:
        return {
            "already": self.already,
            "secured": self.secured,
            "kept_as_download": self.kept_as_download,
            "dropped": self.dropped,
            "missing": self.missing,
            "by_field": self.by_field,
        }


def secure_stored_files(*, dry_run: bool = False) -> Report:
    """Give every stored user file what a new upload gets: checked by its bytes, images
    re-encoded without metadata, a random name. Rows sharing a file (a KUS attachment
    carried over to a new version) are changed together."""
    report = Report()
    for kind in registered():
        manager = kind.model._default_manager
        names = (
            manager.exclude(**{kind.field: ""})
            .order_by()
            .values_list(kind.field, flat=True)
            .distinct()
        )
        for old_name in list(names):
            report.add(kind, _secure_one(kind, old_name, dry_run=dry_run))
    return report


def _secure_one(kind: StoredFiles, old_name: str, *, dry_run: bool) -> str:
    if is_random_name(old_name, kind.folder):
        return "already"
    found = _read(kind, old_name)
    if found is None:
        logger.warning("files_secure: %s %s is missing", kind.label, old_name)
        return "missing"
    data, storage = found
    # Type and metadata are what is re-checked; the size limit was met when it came in.
    policy = kind.policy.with_max_bytes(max(kind.policy.max_bytes, len(data)))
    try:
        checked: CheckedFile | None = check_upload(data, policy, PurePath(old_name).name)
    except FileRejected:
        checked = None
    outcome = "secured" if checked else ("dropped" if kind.drop_refused else "kept_as_download")
    if dry_run:
        return outcome
    new_name = ""
    if outcome != "dropped":
        # Refused files keep their bytes, under a name without an extension: a download.
        suffix = checked.type.extension if checked else ""
        content = checked.content if checked else data
        new_name = default_storage.save(
            RandomName(kind.folder)(None, f"file{suffix}"), ContentFile(content)
        )
    with transaction.atomic():
        kind.model._default_manager.filter(**{kind.field: old_name}).update(
            **{kind.field: new_name}, **kind.columns(checked)
        )
        delete_on_commit(storage, old_name)
    return outcome


def _read(kind: StoredFiles, name: str) -> tuple[bytes, Storage] | None:
    for storage in [default_storage, *kind.legacy_locations()]:
        try:
            with storage.open(name, "rb") as handle:
                return handle.read(), storage
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue
        except Exception:  # a name that escapes the storage's root (SuspiciousFileOperation)
            logger.warning("files_secure: %s %s cannot be read", kind.label, name, exc_info=True)
            return None
    return None
