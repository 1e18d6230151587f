"""Files to upload in tests: honest ones, and the attacks of issue 10's findings 1 and 9."""

from __future__ import annotations

import io
import uuid
import zipfile

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

# Ghent's Dampoort: where the photo was taken, as a phone writes it into EXIF.
GPS = {1: "N", 2: (51.0, 3.0, 41.0), 3: "E", 4: (3.0, 44.0, 22.0)}

# The script of finding 1: it reads the victim's conversations and sends them away.
LIB_MJS = (
    b"window.__pwned = true;\n"
    b"fetch('/api/v1/conversations/').then(r => r.text())"
    b".then(t => fetch('/gestolen/?' + encodeURIComponent(t)));\n"
)


def rooster_htm(script_url: str = "/lib.mjs") -> bytes:
    return (
        b"<!doctype html><html><head><title>Rooster</title>"
        b'<script type="module" src="' + script_url.encode() + b'"></script>'
        b"</head><body><h1>Rooster week 12</h1></body></html>"
    )


def kaart_svg(script_url: str = "/lib.mjs") -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
        b'<script href="' + script_url.encode() + b'"/>'
        b"<script>window.__pwned = true; fetch('/api/v1/conversations/')</script>"
        b'<rect width="200" height="100" fill="green"/></svg>'
    )


HTML_AS_PNG = b"<html><body><script>window.__pwned = true</script></body></html>"


def attacks(script_url: str = "/lib.mjs") -> list[tuple[str, bytes, str]]:
    """(name, bytes, declared type) of every attack file of finding 1."""
    return [
        ("lib.mjs", LIB_MJS, "text/javascript"),
        ("rooster.htm", rooster_htm(script_url), "image/png"),
        ("kaart.svg", kaart_svg(script_url), "image/png"),
        ("foto.png", HTML_AS_PNG, "image/png"),
    ]


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- images ------------------------------------------------------------------------------


def photo_with_gps(size=(40, 20), orientation: int = 1, image_format: str = "JPEG") -> bytes:
    """A phone photo: EXIF with the GPS position, camera make, orientation; an ICC profile."""
    from PIL import Image, ImageCms

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Samsung"
    exif[0x8825] = GPS
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        out, image_format, exif=exif.tobytes(), icc_profile=icc
    )
    return out.getvalue()


def png_bytes(size=(4, 4), with_text: str = "") -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if with_text:
        info.add_text("Comment", with_text)
        info.add_itxt("XML:com.adobe.xmp", with_text)
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def polyglot_gif() -> bytes:
    """A valid GIF that is also an HTML page with a script after its last byte."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("P", (8, 8), 1).save(out, "GIF")
    return out.getvalue() + b"<html><script>window.__pwned = true</script></html>"


def animated_gif(frames: int = 3) -> bytes:
    from PIL import Image

    images = [Image.new("RGB", (10, 10), (i * 80, 0, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100, loop=0)
    return out.getvalue()


def exif_of(data: bytes) -> dict:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        return {
            "exif": dict(image.getexif()),
            "gps": image.getexif().get_ifd(0x8825),
            "info": set(image.info),
            "size": image.size,
            "format": image.format,
        }


# --- documents ---------------------------------------------------------------------------


def docx_bytes(text: str = "Verslag") -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "Ploeg"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def docx_with_macros() -> bytes:
    """A Word file with a VBA project (what a .docm renamed to .docx carries)."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, source.read(item))
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    return out.getvalue()


def pdf_bytes() -> bytes:
    from tests.kus.samples import pdf_bytes as sample

    return sample(["Werfplanning Dampoort"])


def stored_before_the_fix(chat, sender, name, data, *, is_image):
    """An attachment as the old code stored it: the original name in the path, and
    ``attachment_is_image`` taken from the type the browser declared."""
    from messaging.models import Message

    field = Message._meta.get_field("attachment")
    path = field.storage.save(f"2026/03/{uuid.uuid4().hex}/{name}", ContentFile(data))
    return Message.objects.create(
        conversation=chat,
        sender=sender,
        client_id=uuid.uuid4().hex,
        attachment=path,
        attachment_name=name,
        attachment_size=len(data),
        attachment_is_image=is_image,
    )
