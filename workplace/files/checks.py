"""Checking an upload against a policy: the one way a user's file gets in."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from workplace.files.images import IMAGE_MAX_SIDE, clean_image
from workplace.files.types import (
    IMAGE_SUFFIXES,
    IMAGES,
    TEXT,
    FileRejected,
    FileType,
    sniff,
    text_type,
)

DISPLAY_NAME_MAX = 150

TOO_LARGE = _("A file can be at most %(mb)s MB.")
REFUSED = _("This kind of file is not allowed here. Allowed: %(types)s.")
NOT_AN_IMAGE = _("This image cannot be read.")


@dataclass(frozen=True)
class UploadPolicy:
    """What one kind of upload accepts. Messages may use ``%(mb)s`` and ``%(types)s``."""

    name: str  # for the audit log: "avatar", "kus", "streams-photo", …
    types: tuple[FileType, ...]
    max_bytes: int
    image_max_side: int = IMAGE_MAX_SIDE
    # Photos for a stream or a profile become JPEGs (transparency on white).
    as_jpeg: bool = False
    too_large: str | Promise = TOO_LARGE
    refused: str | Promise = REFUSED
    not_an_image: str | Promise = NOT_AN_IMAGE

    def with_max_bytes(self, max_bytes: int) -> UploadPolicy:
        return dataclasses.replace(self, max_bytes=max_bytes)

    def message(self, template: str | Promise) -> str:
        types = ", ".join(dict.fromkeys(t.label for t in self.types))
        return str(template) % {"mb": self.max_bytes // 2**20, "types": types}


@dataclass(frozen=True)
class CheckedFile:
    """An accepted upload: for images the re-encoded bytes, never the uploaded ones."""

    type: FileType
    content: bytes
    name: str  # sanitised, with the extension of what is stored
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def is_image(self) -> bool:
        return self.type.image

    @property
    def content_type(self) -> str:
        return self.type.content_type

    def as_file(self) -> ContentFile:
        """Content for ``FieldFile.save``: ``RandomName`` keeps only the extension."""
        return ContentFile(self.content, name=f"upload{self.type.extension}")


def check_upload(upload: UploadedFile | bytes, policy: UploadPolicy, name: str = "") -> CheckedFile:
    """Recognise the upload by its bytes and clean it, or raise ``FileRejected``.

    Pure: it writes nothing and records nothing (``accept_upload`` records refusals)."""
    if isinstance(upload, bytes):
        data, size = upload, len(upload)
    else:
        name = name or upload.name or ""
        size = upload.size or 0
        if getattr(upload, "oversized", False) or size > policy.max_bytes:
            raise FileRejected(policy.message(policy.too_large), "too_large")
        upload.seek(0)
        data = upload.read(policy.max_bytes + 1)
        size = len(data)
    if size > policy.max_bytes:
        raise FileRejected(policy.message(policy.too_large), "too_large")
    if not data:
        raise FileRejected(_("The file is empty."), "empty")
    found = sniff(data)
    if found is TEXT:
        found = text_type(name)
    suffix = PurePath(name).suffix.lower()
    if found is None or found not in policy.types:
        if suffix in IMAGE_SUFFIXES and (found is None or not found.image):
            # It says it is a photo but is none: say that, rather than "wrong type".
            raise FileRejected(policy.message(policy.not_an_image), "not_an_image")
        raise FileRejected(policy.message(policy.refused), "type")
    if found.image:
        data, found = clean_image(data, max_side=policy.image_max_side, as_jpeg=policy.as_jpeg)
    elif suffix and suffix not in found.extensions:
        # A PDF named .exe, or a text file named .htm: the name would mislead whoever opens it.
        raise FileRejected(policy.message(policy.refused), "type")
    return CheckedFile(
        type=found,
        content=data,
        name=display_name(name, found),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def accept_upload(
    upload: UploadedFile | bytes, policy: UploadPolicy, name: str = ""
) -> CheckedFile:
    """``check_upload``, and a refusal goes into the audit log: a wrong type is how an
    attack on the file checks shows itself."""
    try:
        return check_upload(upload, policy, name)
    except FileRejected as error:
        from workplace import audit

        audit.record(
            audit.AuditAction.UPLOAD_REFUSED,
            target_label=display_name(name or getattr(upload, "name", "") or "", None)[:300],
            policy=policy.name,
            reason=error.code,
            size=len(upload) if isinstance(upload, bytes) else (upload.size or 0),
            declared_type=str(getattr(upload, "content_type", "") or "")[:100],
        )
        raise


def _shown(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] != "C"


_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*]')


def display_name(name: str, file_type: FileType | None, fallback: str = "") -> str:
    """The original name, made harmless to show and to send in Content-Disposition:
    no path, no control or bidirectional-override characters (``gpj.exe`` tricks), at
    most ``DISPLAY_NAME_MAX`` characters, and for images the extension of what is stored."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    # Any whitespace becomes a space; other control and format characters go (a
    # right-to-left override shows "factuur\u202egpj.exe" as "factuurexe.jpg").
    name = "".join(" " if ch.isspace() else ch for ch in name if _shown(ch))
    name = _UNSAFE_IN_NAMES.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    path = PurePath(name or "x")
    stem, suffix = (path.stem if name else ""), path.suffix.lower()
    if file_type is not None:
        if file_type.image and suffix not in file_type.extensions:
            suffix = file_type.extension  # a GIF became a PNG, a PNG perhaps a JPEG
        elif not suffix:
            suffix = file_type.extension
    stem = stem or fallback or str(_("file"))
    return stem[: max(1, DISPLAY_NAME_MAX - len(suffix))] + suffix


AVATARS = UploadPolicy(
    name="avatar",
    types=IMAGES,
    max_bytes=2 * 1024 * 1024,
    image_max_side=512,
    as_jpeg=True,
    too_large=_("A photo can be at most %(mb)s MB."),
    refused=_("Choose a JPEG, PNG, WebP or GIF photo."),
    not_an_image=_("This file is not a photo we can read."),
)
