"""Upload checks for editors' images: real images of allowed types, bounded in
bytes and pixels (decompression bombs are refused before they are decoded)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_image_upload(file):
    if file.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            "This file is %(size)s; the largest image accepted is %(limit)s.",
            params={
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.MAX_UPLOAD_SIZE),
            },
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        # Image.open reads only the header: the pixel count is known before
        # anything is decoded.
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError) as error:
        raise ValidationError(
            "This file is not an image we can use (JPEG, PNG, GIF or WebP).",
            code="invalid_image",
        ) from error
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "%(format)s images are not accepted; use JPEG, PNG, GIF or WebP.",
            params={"format": image_format or "This kind of"},
            code="invalid_image_format",
        )
    if width * height > settings.MAX_IMAGE_PIXELS:
        raise ValidationError(
            "This image is %(width)s×%(height)s pixels; "
            "the most accepted is %(limit)s million pixels.",
            params={
                "width": width,
                "height": height,
                "limit": settings.MAX_IMAGE_PIXELS // 1_000_000,
            },
            code="image_too_large",
        )
