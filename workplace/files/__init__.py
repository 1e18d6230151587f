"""User files: which we accept, how images are cleaned, where files live, how they are served.

Every upload of every app (avatars, KUS attachments, stream photos and files,
chat attachments) passes ``accept_upload`` with the app's ``UploadPolicy``, and
every download leaves through ``file_response`` after the owning object's access
helper has said yes. The rules, in one place:

- An allow-list of types, recognised by their bytes. The name's extension must
  belong to the type the content turned out to be; what the browser declared is
  never read.
- Raster images are decoded and re-encoded by Pillow: the EXIF orientation is
  applied, then every piece of metadata goes (EXIF with its GPS position, XMP,
  ICC profiles after conversion to sRGB, PNG text chunks, comments); the pixel
  count is bounded before decoding; an animation keeps only its first frame.
  Whatever else the file carried (a script appended to a GIF) is gone.
- A stored file gets a random name (``<folder>/<2 hex>/<32 hex>.<ext>``); the
  sanitised original name is kept in the database for the download.
- Only a re-encoded image is ever sent inline, with its true image type.
  Everything else is a download: ``application/octet-stream`` and
  ``Content-Disposition: attachment``. Every file response carries ``nosniff``
  and ``Content-Security-Policy: default-src 'none'; sandbox``, so that even a
  file that slipped through could not run in Werkplek's origin.
- ``FILE_SERVING`` hands the sending of the bytes to nginx (X-Accel-Redirect) or
  Apache (X-Sendfile) once the view has authorized the request.
"""

from __future__ import annotations

from workplace.files.checks import (
    AVATARS,
    CheckedFile,
    UploadPolicy,
    accept_upload,
    check_upload,
    display_name,
)
from workplace.files.forms import (
    LimitedUploadHandler,
    OversizedUpload,
    PrivateFileInput,
    UploadField,
    accept_attribute,
)
from workplace.files.images import IMAGE_MAX_SIDE, MAX_PIXELS, clean_image
from workplace.files.serving import FILE_CSP, content_disposition, file_response, inline_type
from workplace.files.storage import PrivateStorage, RandomName, delete_on_commit, is_random_name
from workplace.files.types import (
    CSV,
    DOCUMENTS,
    DOCX,
    GIF,
    IMAGES,
    JPEG,
    ODP,
    ODS,
    ODT,
    OFFICE,
    PDF,
    PNG,
    PPTX,
    TEXT,
    WEBP,
    XLSX,
    FileRejected,
    FileType,
    sniff,
)

__all__ = [
    "AVATARS",
    "CSV",
    "DOCUMENTS",
    "DOCX",
    "FILE_CSP",
    "GIF",
    "IMAGES",
    "IMAGE_MAX_SIDE",
    "JPEG",
    "MAX_PIXELS",
    "ODP",
    "ODS",
    "ODT",
    "OFFICE",
    "PDF",
    "PNG",
    "PPTX",
    "TEXT",
    "WEBP",
    "XLSX",
    "CheckedFile",
    "FileRejected",
    "FileType",
    "LimitedUploadHandler",
    "OversizedUpload",
    "PrivateFileInput",
    "PrivateStorage",
    "RandomName",
    "UploadField",
    "UploadPolicy",
    "accept_attribute",
    "accept_upload",
    "check_upload",
    "clean_image",
    "content_disposition",
    "delete_on_commit",
    "display_name",
    "file_response",
    "inline_type",
    "is_random_name",
    "sniff",
]
