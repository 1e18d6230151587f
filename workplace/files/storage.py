"""Where user files are kept: random names in a storage that no URL serves."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils.deconstruct import deconstructible

# "<folder>/<2 hex>/<the same 2 hex + 30 more>.<ext>"; folders are letters only, so that no
# name from before (with years and months in its path) looks like one of these.
_RANDOM_NAME = re.compile(
    r"^(?P<folder>[a-z]+(?:/[a-z]+)*)/(?P<fan>[0-9a-f]{2})/(?P=fan)[0-9a-f]{30}(\.[a-z0-9]{1,5})?$"
)
_FOLDER = re.compile(r"^[a-z]+(?:/[a-z]+)*$")
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")


@deconstructible(path="workplace.files.RandomName")
class RandomName:
    """``upload_to`` for user files: ``<folder>/<2 hex>/<32 random hex>.<ext>``.

    The extension is the one ``CheckedFile.as_file`` gives (the true type's); the
    user's name never reaches the disk."""

    def __init__(self, folder: str):
        if not _FOLDER.match(folder):
            raise ValueError(f"A folder of user files is lowercase letters and /: {folder!r}")
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        token = uuid.uuid4().hex
        suffix = PurePath(filename or "").suffix.lower()
        suffix = suffix if _SAFE_SUFFIX.match(suffix) else ""
        return f"{self.folder}/{token[:2]}/{token}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


def is_random_name(name: str, folder: str = "") -> bool:
    """Was this stored name given by ``RandomName`` (in ``folder``, when given)?"""
    match = _RANDOM_NAME.match(name or "")
    return bool(match) and (not folder or match["folder"] == folder)


@deconstructible(path="workplace.files.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """The default storage: files under MEDIA_ROOT, which no URL serves.

    ``.url`` raises on purpose: a user file is reached through its object's view
    (which checks access), never through a path in a template."""

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


def delete_on_commit(storage, name: str) -> None:
    """Remove a replaced file once the row that no longer names it is committed."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))
