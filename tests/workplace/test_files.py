"""workplace.files: the allow-list, image cleaning, names, and the one file response."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.test import RequestFactory
from PIL import Image

from tests.uploads import (
    GPS,
    LIB_MJS,
    animated_gif,
    attacks,
    docx_bytes,
    docx_with_macros,
    exif_of,
    odt_bytes,
    pdf_bytes,
    photo_with_gps,
    plain_zip,
    png_bytes,
    polyglot_gif,
    upload,
    xlsx_bytes,
)
from workplace import files
from workplace.models import AuditAction, AuditEvent, Employee

EVERYTHING = files.UploadPolicy("test", (*files.IMAGES, *files.DOCUMENTS), 10 * 2**20)


def check(name: str, data: bytes) -> files.CheckedFile:
    return files.check_upload(data, EVERYTHING, name)


# --- the allow-list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,data,expected",
    [
        ("plan.pdf", pdf_bytes(), files.PDF),
        ("verslag.docx", docx_bytes(), files.DOCX),
        ("ploegen.xlsx", xlsx_bytes(), files.XLSX),
        ("nota.odt", odt_bytes(), files.ODT),
        ("lees mij.txt", "Dag collega's, één werf.\n".encode(), files.TEXT),
        ("uren.csv", "naam;uren\nJosé;7,5\n".encode("cp1252"), files.CSV),
        ("foto.jpg", photo_with_gps(), files.JPEG),
        ("schema.png", png_bytes(), files.PNG),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_it_recognises_allowed_files_by_their_bytes(name, data, expected):
    assert check(name, data).type is expected


@pytest.mark.parametrize("name,data,declared", attacks(), ids=lambda v: str(v)[:12])
def test_it_refuses_every_attack_file_of_the_finding_whatever_it_declares(name, data, declared):
    with pytest.raises(files.FileRejected):
        files.check_upload(upload(name, data, declared), EVERYTHING)


@pytest.mark.parametrize(
    "name,data",
    [
        ("plan.exe", pdf_bytes()),  # a PDF under a misleading name
        ("nota.html", b"<p>Dag</p>"),  # text, but a page once opened
        ("lib.js", LIB_MJS),
        ("verslag.docx", docx_with_macros()),
        ("bundel.zip", plain_zip()),
        ("verslag.docx", plain_zip()),
        ("programma.exe", b"MZ\x90\x00\x03\x00\x00\x00"),
    ],
    ids=["pdf-as-exe", "html", "js", "macros", "zip", "zip-as-docx", "exe"],
)
def test_it_refuses_what_is_not_on_the_allow_list(name, data):
    with pytest.raises(files.FileRejected) as refused:
        check(name, data)
    assert refused.value.code == "type"


def test_a_name_without_an_extension_gets_its_types():
    assert check("Verslag", docx_bytes()).name == "Verslag.docx"


def test_a_refusal_is_said_in_dutch_with_what_is_allowed(db):
    policy = files.UploadPolicy("test", (files.PDF, files.JPEG), 2**20)
    from django.utils import translation

    with translation.override("nl"), pytest.raises(files.FileRejected) as refused:
        files.check_upload(b"<svg/>", policy, "kaart.svg")
    assert "PDF, JPEG" in refused.value.detail
    with translation.override("nl"), pytest.raises(files.FileRejected) as refused:
        files.check_upload(b"x" * (2**20 + 1), policy, "groot.pdf")
    assert refused.value.detail == "Een bestand is hoogstens 1 MB groot."


def test_a_refused_upload_is_recorded_in_the_audit_log(db):
    with pytest.raises(files.FileRejected):
        files.accept_upload(upload("kaart.svg", b"<svg/>", "image/png"), EVERYTHING)
    event = AuditEvent.objects.get(action=AuditAction.UPLOAD_REFUSED)
    assert event.target_label == "kaart.svg"
    assert event.detail["reason"] == "type" and event.detail["declared_type"] == "image/png"


# --- images ------------------------------------------------------------------------------


def test_a_photo_loses_every_piece_of_metadata_after_its_orientation_is_applied():
    original = exif_of(photo_with_gps(size=(40, 20), orientation=6))
    assert original["gps"] == GPS  # the sample really carries a position
    cleaned = check("werf.jpg", photo_with_gps(size=(40, 20), orientation=6))
    seen = exif_of(cleaned.content)
    assert seen["size"] == (20, 40)
    assert seen["exif"] == {} and seen["gps"] == {}
    assert not {"exif", "icc_profile", "xmp", "comment"} & seen["info"]


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_png_and_webp_lose_their_metadata_too(image_format):
    cleaned = check(f"kaart.{image_format.lower()}", photo_with_gps(image_format=image_format))
    seen = exif_of(cleaned.content)
    assert seen["format"] == image_format and seen["gps"] == {} and "exif" not in seen["info"]


def test_png_text_chunks_are_gone():
    cleaned = check("schema.png", png_bytes(with_text="Werf Dampoort 51.0571 N"))
    assert b"Dampoort" not in cleaned.content
    assert not {"Comment", "XML:com.adobe.xmp"} & exif_of(cleaned.content)["info"]


def test_an_animated_gif_keeps_its_first_frame_as_a_png():
    cleaned = check("zwaai.gif", animated_gif())
    assert cleaned.type is files.PNG and cleaned.name == "zwaai.png"
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert getattr(image, "n_frames", 1) == 1
        assert image.convert("RGB").getpixel((0, 0)) == (0, 0, 0)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, "PNG")  # 50 megapixels in a few kilobytes
    with pytest.raises(files.FileRejected) as refused:
        check("bom.png", out.getvalue())
    assert refused.value.code == "too_many_pixels"


def test_a_polyglot_loses_what_followed_the_image():
    cleaned = check("kaart.gif", polyglot_gif())
    assert b"<script" not in cleaned.content and cleaned.type is files.PNG


def test_a_damaged_image_is_not_a_500_but_a_refusal():
    data = photo_with_gps()
    with pytest.raises(files.FileRejected) as refused:
        check("kapot.jpg", data[: len(data) // 2])
    assert refused.value.code == "not_an_image"


def test_stream_and_profile_photos_become_jpegs_with_transparency_on_white():
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 0, 0)).save(out, "PNG")
    policy = files.UploadPolicy("test", files.IMAGES, 2**20, as_jpeg=True)
    cleaned = files.check_upload(out.getvalue(), policy, "logo.png")
    assert cleaned.type is files.JPEG and cleaned.name == "logo.jpg"
    with Image.open(io.BytesIO(cleaned.content)) as image:
        assert image.getpixel((0, 0)) == (255, 255, 255)


# --- names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given,expected",
    [
        ("C:\\Users\\jan\\Rooster week 12.pdf", "Rooster week 12.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("factuur\u202egpj.pdf", "factuurgpj.pdf"),  # no right-to-left override trick
        ('plan "A"\r\n<b>.pdf', "plan _A_ _b_.pdf"),
        ("Één werf.pdf", "Één werf.pdf"),
        ("", "bestand.pdf"),
        ("a" * 300 + ".pdf", "a" * 146 + ".pdf"),
    ],
)
def test_display_names_are_harmless_and_keep_what_they_can(given, expected):
    from django.utils import translation

    with translation.override("nl"):
        assert files.display_name(given, files.PDF) == expected


def test_stored_names_are_random_and_older_names_are_not_mistaken_for_them():
    make = files.RandomName("messaging")
    first, second = make(None, "rooster.htm"), make(None, "rooster.htm")
    assert first != second and "rooster" not in first
    assert files.is_random_name(first, "messaging") and not files.is_random_name(first, "kus")
    assert not files.is_random_name(f"2026/03/{'ab' * 16}/rooster.htm")
    assert not files.is_random_name(f"streams/photos/2026/03/03{'a' * 30}.jpg")
    assert files.inline_type(make(None, "x.png")) == "image/png"
    assert files.inline_type(make(None, "x.svg")) is None
    assert files.inline_type("avatars/2024/foto.png") is None


def test_the_private_storage_has_no_public_urls():
    name = default_storage.save("kus/ab/ab" + "0" * 30 + ".pdf", ContentFile(b"%PDF-"))
    with pytest.raises(ValueError):
        default_storage.url(name)


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name():
    assert files.content_disposition("attachment", "Rooster.pdf") == (
        'attachment; filename="Rooster.pdf"'
    )
    assert files.content_disposition("attachment", 'Één "werf".pdf') == (
        "attachment; filename=\"Een _werf_.pdf\"; filename*=UTF-8''%C3%89%C3%A9n%20_werf_.pdf"
    )


# --- the response ------------------------------------------------------------------------


def stored(name: str, data: bytes) -> FieldFile:
    saved = default_storage.save(name, ContentFile(data))
    return FieldFile(None, Employee._meta.get_field("avatar"), saved)


def request(terminal=None):
    made = RequestFactory().get("/bestand/")
    made.terminal = terminal
    return made


def test_a_reencoded_image_is_inline_with_its_image_type():
    image = stored(
        files.RandomName("avatars")(None, "x.jpg"), check("a.jpg", photo_with_gps()).content
    )
    response = files.file_response(request(), image, "alice.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="alice.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, max-age=3600"


def test_everything_else_is_an_octet_stream_download():
    document = stored(files.RandomName("kus")(None, "x.pdf"), pdf_bytes())
    response = files.file_response(request(), document, "plan.pdf")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'


def test_on_a_shared_terminal_a_file_is_not_kept_by_the_browser():
    document = stored(files.RandomName("kus")(None, "x.pdf"), pdf_bytes())
    response = files.file_response(request(terminal=object()), document, "plan.pdf")
    assert "no-store" in response["Cache-Control"]


def test_a_missing_file_answers_404():
    missing = FieldFile(None, Employee._meta.get_field("avatar"), "kus/ab/ab" + "1" * 30 + ".pdf")
    with pytest.raises(Http404):
        files.file_response(request(), missing, "plan.pdf")


def test_nginx_sends_the_bytes_after_the_view_said_yes(settings):
    settings.FILE_SERVING = "x-accel-redirect"
    settings.FILE_SERVING_PREFIX = "/_files/"
    document = stored(files.RandomName("kus")(None, "x.pdf"), pdf_bytes())
    response = files.file_response(request(), document, "plan.pdf")
    assert response["X-Accel-Redirect"] == f"/_files/{document.name}"
    assert response.content == b""
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'


def test_apache_sends_the_bytes_after_the_view_said_yes(settings):
    settings.FILE_SERVING = "x-sendfile"
    document = stored(files.RandomName("kus")(None, "x.pdf"), pdf_bytes())
    response = files.file_response(request(), document, "plan.pdf")
    assert response["X-Sendfile"] == default_storage.path(document.name)


# --- bounded uploads ---------------------------------------------------------------------


def test_an_upload_beyond_the_hard_limit_is_not_kept_and_reads_as_too_large(
    client, alice, settings
):
    settings.FILE_UPLOAD_MAX_BYTES = 64 * 1024
    client.force_login(alice)
    response = client.post(
        "/profiel/", {"avatar": upload("groot.jpg", b"\xff" * 200_000), "language": "nl"}
    )
    assert "Een foto mag hoogstens 2 MB groot zijn." in response.content.decode()
