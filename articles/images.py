"""Editors' images: what an upload must be, and what is kept of it.

- `validate_image_upload`: real images of allowed types, bounded in bytes and
  pixels (decompression bombs are refused before they are decoded), that
  decode completely.
- `image_size`, `hero_image`: what an `<img>` needs of an upload (its
  intrinsic size, a hero's `srcset` of renditions), read once and cached.
- `MetadataFreeImageField`: an ImageField that stores a new file re-encoded
  from its pixels alone, without EXIF (the GPS position of a source's photo
  above all), XMP, IPTC or comments (`strip_metadata`). Renditions
  (django-imagekit) are made from that clean file, and re-encoded by pilkit
  with no metadata of their own.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from PIL import ExifTags, Image, ImageOps

import pagecache

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


# --- What an <img> needs of an upload ------------------------------------------------


@dataclass(frozen=True)
class HeroImage:
    """What an `<img>` of the hero needs: a default source, the srcset of
    the renditions, and the intrinsic size (so the page does not jump)."""

    src: str
    srcset: str
    width: int
    height: int
    urls: tuple


def image_size(field_file):
    """(width, height) of an uploaded image, or None if it cannot be read.

    Read once and cached: an upload's name never changes content (storage
    gives a new upload a new name), so the size can be kept forever. A file
    gone missing from storage gives None, and the page shows no image rather
    than an error.
    """
    if not field_file:
        return None
    key = f"articles:image-size:{field_file.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = (field_file.width, field_file.height)
        except (OSError, ValueError, TypeError):
            return None
        cache.set(key, size, None)
    return tuple(size)


def fit_width(size, max_width):
    """The size a ResizeToFit(width=max_width, upscale=False) rendition has."""
    width, height = size
    if width <= max_width:
        return width, height
    return max_width, round(height * max_width / width)


def fit_box(size, max_width, max_height):
    """The size a ResizeToFit(max_width, max_height) rendition has (upscaled too)."""
    width, height = size
    ratio = min(max_width / width, max_height / height)
    return round(width * ratio), round(height * ratio)


# How long a hero's HeroImage is kept in the cache. Its URLs never change
# for an upload (names are unique), but asking imagekit for them is also what
# makes a rendition that went missing from storage again: a day bounds that.
HERO_CACHE_SECONDS = 24 * 60 * 60


def hero_image(article, widths, default_width):
    """The article's hero as a HeroImage, or None without a readable image.

    `widths` are the renditions' widths, narrowest first, each an attribute
    `hero_<width>` of the article; a rendition that would be no wider than
    the previous one (a small original is never upscaled) is left out.

    Kept in the cache per upload: imagekit names each rendition by hashing
    its whole spec, which was about 5% of a cold render of a story.
    """
    if not article.hero_image:
        return None
    key = hero_cache_key(article, widths, default_width)
    hero = pagecache.cached_value(key)
    if hero is None:
        hero = _hero_image(article, widths, default_width)
        if hero is not None:
            cache.set(key, hero, HERO_CACHE_SECONDS)
    return hero


def hero_cache_key(article, widths, default_width):
    """Where `hero_image` keeps a story's HeroImage (None: it has no hero)."""
    if not article.hero_image:
        return None
    return f"articles:hero:{article.hero_image.name}:{'-'.join(map(str, widths))}:{default_width}"


def _hero_image(article, widths, default_width):
    size = image_size(article.hero_image)
    if size is None:
        return None
    candidates = []
    seen_widths = set()
    for width in widths:
        rendered = fit_width(size, width)
        if rendered[0] in seen_widths:
            continue
        seen_widths.add(rendered[0])
        candidates.append((getattr(article, f"hero_{width}").url, width, rendered))
    src = next(
        (url for url, width, _ in reversed(candidates) if width <= default_width),
        candidates[0][0],
    )
    largest = candidates[-1][2]
    return HeroImage(
        src=src,
        srcset=", ".join(f"{url} {rendered[0]}w" for url, _, rendered in candidates),
        width=largest[0],
        height=largest[1],
        urls=tuple(url for url, _, _ in candidates),
    )
