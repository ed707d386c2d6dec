"""Editors' images: what an upload must be, and what is kept of it.

- `validate_image_upload`: real images of allowed types, bounded in bytes and
  pixels (decompression bombs are refused before they are decoded), that
  decode completely.
- `MetadataFreeImageField`: an ImageField that stores a new file re-encoded
  from its pixels alone, without EXIF (the GPS position of a source's photo
  above all), XMP, IPTC or comments (`strip_metadata`). Renditions
  (django-imagekit) are made from that clean file, and re-encoded by pilkit
  with no metadata of their own.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, ImageOps

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
    _validate_decodes(file, position)


def _validate_decodes(file, position):
    """Every frame decodes, and all frames together stay within the pixel
    limit: a truncated or corrupt file is refused here, with a message, not
    when it is re-encoded on save."""
    try:
        file.seek(0)
        with Image.open(file) as image:
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if frames * width * height > settings.MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "This animation has %(frames)s frames of %(width)s×%(height)s pixels; "
                    "the most accepted is %(limit)s million pixels in all.",
                    params={
                        "frames": frames,
                        "width": width,
                        "height": height,
                        "limit": settings.MAX_IMAGE_PIXELS // 1_000_000,
                    },
                    code="image_too_large",
                )
            for frame in range(frames):
                image.seek(frame)
                image.load()
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            "This image is damaged or incomplete; export it again and retry.",
            # Not "invalid_image": a ModelForm would show the form field's
            # generic message for that code instead of this one.
            code="damaged_image",
        ) from error
    finally:
        if position is not None:
            file.seek(position)


# What an image keeps when it is re-encoded: how it is drawn, nothing about
# who took it, where, or with what.
KEPT_IMAGE_INFO = {"transparency", "duration", "loop", "background"}
# What Pillow reports about a file that says nothing about its author: its
# format's own header fields and the colour profile (kept, passed separately).
HARMLESS_IMAGE_INFO = {
    "icc_profile",
    "dpi",
    "jfif",
    "jfif_version",
    "jfif_unit",
    "jfif_density",
    "progressive",
    "progression",
    "adobe",
    "adobe_transform",
    "version",
    "gamma",
    "aspect",
    "srgb",
    "extension",
    "interlace",
    "compression",
}


def strip_metadata(file):
    """The image in `file` re-encoded from its pixels alone, as a ContentFile.

    Dropped: EXIF (GPS position, camera serial number, owner, date), XMP,
    IPTC, comments. Kept: the pixels, the format, the colour profile (ICC),
    animation frames and timing. The EXIF orientation is applied first, so
    the picture stands the way the camera held it once the tag is gone.
    Re-encoding also destroys anything hidden after or inside the image data
    (a file that is both a GIF and a script, say).
    """
    file.seek(0)
    with Image.open(file) as image:
        image_format = image.format
        options = {}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        if getattr(image, "n_frames", 1) > 1:
            # Animations (GIF, WebP) carry no orientation; keep every frame.
            image.load()
            cleaned, options["save_all"] = image, True
        elif image.getexif().get(ExifTags.Base.Orientation, 1) > 1:
            cleaned = ImageOps.exif_transpose(image)
            if image_format == "JPEG":
                options["quality"] = 92
        else:
            cleaned = image
            if image_format == "JPEG":
                # Upright already: the original's own quantisation, so the
                # picture loses (almost) nothing to the second encoding.
                options.update(quality="keep", subsampling="keep")
        cleaned.info = {key: value for key, value in cleaned.info.items() if key in KEPT_IMAGE_INFO}
        output = io.BytesIO()
        cleaned.save(output, image_format, **options)
    return ContentFile(output.getvalue(), name=getattr(file, "name", None))


def carries_metadata(file):
    """Whether the image in `file` has anything strip_metadata removes."""
    file.seek(0)
    with Image.open(file) as image:
        telling = set(image.info) - KEPT_IMAGE_INFO - HARMLESS_IMAGE_INFO
        return bool(image.getexif() or telling)


class MetadataFreeImageField(models.ImageField):
    """An ImageField whose new files are stored through `strip_metadata`,
    whatever saves them (the admin, load_demo, a script).

    It deconstructs as a plain ImageField: the column is the same, so
    migrations need not know.
    """

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            file.file = strip_metadata(file.file)
        return super().pre_save(model_instance, add)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
