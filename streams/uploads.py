"""What a post may carry: a photo and a file, checked and cleaned by ``workplace.files``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workplace import files

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = 8 * 1024 * 1024
# Phones show photos at most ~1,000 px wide; 1,600 px stays sharp on a tablet.
PHOTO_MAX_SIDE = 1600

PHOTOS = files.UploadPolicy(
    name="streams-photo",
    types=files.IMAGES,
    max_bytes=MAX_PHOTO_BYTES,
    image_max_side=PHOTO_MAX_SIDE,
    as_jpeg=True,
    too_large=_("A photo can be at most %(mb)s MB."),
    refused=_("Choose a JPEG, PNG, WebP or GIF photo."),
    not_an_image=_("This file is not a photo we can read."),
)
FILES = files.UploadPolicy(
    name="streams-file",
    types=files.DOCUMENTS,
    max_bytes=MAX_FILE_BYTES,
    refused=_("Attach a PDF, an office document or a text file (%(types)s)."),
)
