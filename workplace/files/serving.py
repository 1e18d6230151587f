"""The one way a user file leaves Werkplek: ``file_response``, after the access check."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase

from workplace.files.checks import display_name
from workplace.files.storage import is_random_name

# What an inline response may say it is: only what ``clean_image`` writes.
_INLINE_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
FILE_CSP = "default-src 'none'; sandbox"


def inline_type(stored_name: str) -> str | None:
    """The image type to send inline, or None for a download. Only names that
    ``RandomName`` gave and ``clean_image`` wrote qualify: files from before the
    re-encoding (until ``manage.py files_secure`` has run) are downloads."""
    if not is_random_name(stored_name):
        return None
    return _INLINE_TYPES.get(PurePath(stored_name).suffix)


def file_response(
    request: HttpRequest, file: FieldFile, filename: str, *, max_age: int = 3600
) -> HttpResponseBase:
    """The one way a user file leaves Werkplek. Call it only after the access check.

    A re-encoded image is sent inline with its image type; anything else as an
    ``application/octet-stream`` attachment named ``filename``. On shared terminals
    the terminal middleware turns the caching into ``no-store``."""
    if not file or not file.name:
        raise Http404
    content_type = inline_type(file.name)
    inline = content_type is not None
    content_type = content_type or "application/octet-stream"
    mode = settings.FILE_SERVING
    if mode == "django":
        try:
            handle = file.storage.open(file.name, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise Http404 from None
        response: HttpResponseBase = FileResponse(handle, content_type=content_type)
    else:
        if not file.storage.exists(file.name):
            raise Http404
        response = HttpResponse(b"", content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = settings.FILE_SERVING_PREFIX
            response["X-Accel-Redirect"] = prefix + quote(file.name)
        else:
            response["X-Sendfile"] = file.storage.path(file.name)
    response["Content-Disposition"] = content_disposition(
        "inline" if inline else "attachment", filename or PurePath(file.name).name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = f"private, max-age={max_age}"
    if getattr(request, "terminal", None) is not None:
        response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def content_disposition(disposition: str, filename: str) -> str:
    """RFC 6266: a quoted ASCII fallback for old clients and the UTF-8 name (RFC 8187)."""
    filename = display_name(filename, None, fallback="bestand")
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r'[^\x20-\x7e]|["\\%]', "_", fallback).strip() or "bestand"
    value = f'{disposition}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value
