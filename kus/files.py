"""Attachments and legacy files: what KUS accepts (checked by workplace.files), and their text."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

from django.utils.translation import gettext_lazy as _

from kus.models import AttachmentKind
from workplace import files

MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024
MAX_ATTACHMENTS = 10

# The types whose text KUS can index, and images (re-encoded by workplace.files).
ATTACHMENTS = files.UploadPolicy(
    name="kus",
    types=(files.PDF, files.DOCX, files.XLSX, *files.IMAGES),
    max_bytes=MAX_ATTACHMENT_BYTES,
    refused=_("Only PDF, Word (.docx), Excel (.xlsx) and images are allowed."),
)
KINDS = {
    files.PDF: AttachmentKind.PDF,
    files.DOCX: AttachmentKind.DOCX,
    files.XLSX: AttachmentKind.XLSX,
}


def kind_of(checked: files.CheckedFile) -> str:
    return AttachmentKind.IMAGE if checked.is_image else KINDS[checked.type]


# --- text extraction -----------------------------------------------------------------------


def extract_text(kind: str, data: bytes) -> str:
    """The plain text of a PDF, Word or Excel file ("" for images or when it has none)."""
    if kind == AttachmentKind.PDF:
        return pdf_text(data)
    if kind == AttachmentKind.DOCX:
        return docx_text(data)
    if kind == AttachmentKind.XLSX:
        return xlsx_text(data)
    return ""


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n\n".join(p.text.strip() for p in document.paragraphs if p.text.strip())


def xlsx_text(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [str(c) for c in row if c is not None and str(c).strip()]
            if cells:
                lines.append(" ".join(cells))
    book.close()
    return "\n".join(lines)


class _HtmlText(HTMLParser):
    """HTML to light Markdown: headings, paragraphs, list items and emphasis keep their shape."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"}
    SKIP = {"script", "style", "head"}
    EMPHASIS = {"strong": "**", "b": "**", "em": "*", "i": "*"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag in {"h1", "h2", "h3", "h4"}:
            self.parts.append("#" * int(tag[1]) + " ")
        if tag == "li":
            self.parts.append("- ")
        if tag in self.EMPHASIS and not self._skip:
            self.parts.append(self.EMPHASIS[tag])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag in self.EMPHASIS and not self._skip:
            self.parts.append(self.EMPHASIS[tag])

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> tuple[str, str]:
    """The title (from <title> or the first <h1>) and the body as light Markdown."""
    parser = _HtmlText()
    parser.feed(html)
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n- \n\n", "\n- ", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    text = re.sub(r"(?m)^(- .*)\n\n(?=- )", r"\1\n", text)
    return parser.title.strip(), text
