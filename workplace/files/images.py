"""Images: decoded, oriented, shrunk and re-encoded by Pillow without any metadata."""

from __future__ import annotations

import io

from django.utils.translation import gettext_lazy as _

from workplace.files.types import DECODERS, JPEG, PIL_FORMATS, PNG, WEBP, FileRejected, FileType

# Decompression bombs: no image with more pixels than a 40-megapixel camera makes is decoded.
MAX_PIXELS = 40_000_000
# Stored images are at most this wide or high (a poster stays legible; a phone shows ~1,000).
IMAGE_MAX_SIDE = 4096


def clean_image(
    data: bytes, *, max_side: int = IMAGE_MAX_SIDE, as_jpeg: bool = False
) -> tuple[bytes, FileType]:
    """Decode, orient, shrink and re-encode an image without any of its metadata.

    Returns the new bytes and their type (JPEG, PNG or WebP; a GIF becomes a PNG).
    Raises ``FileRejected`` for what cannot be decoded or has too many pixels."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=DECODERS) as probe:
            source = PIL_FORMATS[probe.format]
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise FileRejected(_("This image has too many pixels."), "too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data), formats=DECODERS) as image:
            # An animation keeps its first frame only: one decoded frame is a bounded cost,
            # and a still is what a profile, a post or a chat shows.
            image.seek(0)
            if source is JPEG:
                image.draft("RGB", (max_side, max_side))  # decode large photos at a fraction
            icc = image.info.get("icc_profile")
            image = ImageOps.exif_transpose(image)
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            target = JPEG if as_jpeg or source is JPEG else (WEBP if source is WEBP else PNG)
            if icc:
                image = _to_srgb(image, icc)  # before the mode changes: CMYK converts by it
            image = _normalise_mode(image, target)
            # A fresh image carries the pixels and nothing else: no EXIF (GPS, camera,
            # thumbnail), no XMP, no ICC profile, no text chunks, no comment.
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            if target is JPEG:
                clean.save(out, "JPEG", quality=85, optimize=True, progressive=True)
            elif target is WEBP:
                clean.save(out, "WEBP", quality=85, method=4)
            else:
                clean.save(out, "PNG", optimize=False, compress_level=6)
    except FileRejected:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        KeyError,
        EOFError,
        Image.DecompressionBombError,
    ):
        raise FileRejected(_("This image cannot be read."), "not_an_image") from None
    return out.getvalue(), target


def _normalise_mode(image, target: FileType):
    from PIL import Image

    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if target is JPEG:
        if has_alpha:
            rgba = image.convert("RGBA")
            white = Image.new("RGB", rgba.size, (255, 255, 255))
            white.paste(rgba, mask=rgba.getchannel("A"))
            return white
        return image if image.mode in ("L", "RGB") else image.convert("RGB")
    if target is WEBP:
        return image.convert("RGBA" if has_alpha else "RGB")
    if image.mode in ("L", "LA", "RGB", "RGBA"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image, icc: bytes):
    """Colours as the camera meant them, without keeping its profile (it is metadata too)."""
    from PIL import ImageCms

    output = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB"}.get(image.mode)
    if output is None:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # an unreadable profile: the pixels as they are
