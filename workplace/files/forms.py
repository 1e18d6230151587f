"""Uploads in forms: a field that checks, a widget without public links, bounded sizes."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext_lazy as _

from workplace.files.checks import UploadPolicy, accept_upload


class OversizedUpload(UploadedFile):
    """Stands in for a file larger than ``FILE_UPLOAD_MAX_BYTES``: its bytes were not kept."""

    oversized = True

    def __init__(self, name: str, size: int, content_type: str | None):
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class LimitedUploadHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: past ``FILE_UPLOAD_MAX_BYTES`` a file's bytes are
    no longer passed on (to memory or a temporary file), and the form hears "too large"
    instead of the disk filling up."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            self.oversized = True
            return None
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.oversized:
            return OversizedUpload(self.file_name, self.received, self.content_type)
        return None


class _CurrentFile:
    """What the file input shows of the stored file: a neutral label and its view's URL."""

    def __init__(self, url: str, label: str):
        self.url, self.label = url, label

    def __str__(self) -> str:
        return self.label


class PrivateFileInput(forms.ClearableFileInput):
    """Django's widget links to ``file.url``, which a private file has not: the form
    sets ``file_url`` to the object's own view (or leaves it empty: no link)."""

    file_url = ""

    def is_initial(self, value) -> bool:
        return bool(value and getattr(value, "name", ""))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            context["widget"]["value"] = _CurrentFile(self.file_url, str(_("current file")))
        return context


class UploadField(forms.FileField):
    """A file field that cleans to a ``CheckedFile`` (or None, or False when cleared):
    the form shows a refusal as its own Dutch error, never a 500."""

    def __init__(self, policy: UploadPolicy, **kwargs):
        self.policy = policy
        kwargs.setdefault("widget", PrivateFileInput)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(policy))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return accept_upload(value, self.policy)
        return value


def accept_attribute(policy: UploadPolicy) -> str:
    """The file picker's hint (the server decides): image types open the camera on phones."""
    hints = (t.content_type if t.image else ext for t in policy.types for ext in t.extensions)
    return ",".join(dict.fromkeys(hints))
