"""The allow-list of user files, and recognising a file by its bytes (never its name)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.functional import Promise


class FileRejected(ValidationError):
    """The upload is refused; ``detail`` is the sentence for the user, ``code`` for programs."""

    def __init__(self, message: str | Promise, code: str):
        super().__init__(message, code=code)
        self.detail = str(message)


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one a stored file gets
    image: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileType(
    "docx",
    "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "xlsx",
    "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
)
PPTX = FileType(
    "pptx",
    "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx",),
)
ODT = FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileType("odp", "ODP", "application/vnd.oasis.opendocument.presentation", (".odp",))
TEXT = FileType("txt", "TXT", "text/plain", (".txt",))
CSV = FileType("csv", "CSV", "text/csv", (".csv",))
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"), image=True)
PNG = FileType("png", "PNG", "image/png", (".png",), image=True)
WEBP = FileType("webp", "WebP", "image/webp", (".webp",), image=True)
# A GIF is read (its first frame) and stored as a PNG.
GIF = FileType("gif", "GIF", "image/gif", (".gif",), image=True)

IMAGES = (JPEG, PNG, WEBP, GIF)
OFFICE = (DOCX, XLSX, PPTX, ODT, ODS, ODP)
DOCUMENTS = (PDF, *OFFICE, TEXT, CSV)

# MPO is the JPEG of many phones (a photo with a second picture Pillow ignores).
PIL_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF}
DECODERS = ["JPEG", "PNG", "WEBP", "GIF"]  # Pillow's others (and their bugs) stay out of reach
IMAGE_SUFFIXES = {suffix for t in IMAGES for suffix in t.extensions}
_OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_ODF_MIMETYPES = {t.content_type: t for t in (ODT, ODS, ODP)}


def sniff(data: bytes) -> FileType | None:
    """The type of the allow-list these bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    image = _sniff_image(data)
    if image is not None:
        return image
    if _is_text(data):
        return TEXT
    return None


def _sniff_zip(data: bytes) -> FileType | None:
    """An Office Open XML or OpenDocument file without macros, judged by its directory
    (nothing is decompressed beyond two small entries: no zip bomb goes off)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
        if len(entries) > 20_000:
            return None
        names = {entry.filename.lower(): entry for entry in entries}
        if any(n.endswith("vbaproject.bin") or n.startswith(("basic/", "scripts/")) for n in names):
            return None
        types_entry = names.get("[content_types].xml")
        if types_entry is not None and types_entry.file_size < 2**20:
            content_types = archive.read(types_entry).lower()
            if b"macroenabled" in content_types:
                return None
            for part, file_type in _OOXML_MAIN_PARTS.items():
                if part in names:
                    return file_type
            return None
        first = entries[0] if entries else None
        if first is not None and first.filename == "mimetype" and first.file_size < 100:
            return _ODF_MIMETYPES.get(archive.read(first).decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError):
        return None
    return None


def _sniff_image(data: bytes) -> FileType | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=DECODERS) as image:
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    # Too many pixels is still an image: ``clean_image`` refuses it, saying why.
    return PIL_FORMATS.get(image_format or "")


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _is_text(data: bytes) -> bool:
    """Plain text in UTF-8 or in Windows-1252 (Excel's CSV in Belgium); no control bytes."""
    if _CONTROL.search(data):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def text_type(name: str) -> FileType:
    """Text and CSV look alike byte for byte: the name tells which one it is."""
    return CSV if PurePath(name).suffix.lower() == ".csv" else TEXT
