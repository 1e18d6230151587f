"""Checks and resizing for photos and files attached to posts."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 8 * 1024 * 1024
# Phones show photos at most ~1,000 px wide; 1,600 px stays sharp on a tablet.
PHOTO_MAX_SIDE = 1600
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
FILE_TYPES = {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv"}
# Decompression bombs: refuse anything with more pixels than a 40 MP camera makes.
MAX_PIXELS = 40_000_000


def clean_photo(upload: UploadedFile) -> ContentFile:
    """A resized JPEG of the upload, or a ValidationError in Dutch."""
    if upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("A photo can be at most 8 MB."))
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if image_format not in PHOTO_FORMATS:
            raise ValidationError(_("Choose a JPEG, PNG, WebP or GIF photo."))
        if width * height > MAX_PIXELS:
            raise ValidationError(_("This photo has too many pixels."))
        upload.seek(0)
        with Image.open(upload) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not a photo we can read.")) from None
    return ContentFile(out.getvalue(), name=Path(upload.name or "foto").stem[:60] + ".jpg")


def clean_attachment(upload: UploadedFile) -> UploadedFile:
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(_("A file can be at most 8 MB."))
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in FILE_TYPES:
        raise ValidationError(
            _("Attach a PDF, an office document or a text file (%(types)s).")
            % {"types": ", ".join(sorted(FILE_TYPES))}
        )
    if suffix == ".pdf":
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError(_("This file is not a PDF."))
    return upload
