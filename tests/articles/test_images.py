"""Image uploads in the admin (articles/images.py and Django's ImageField):
anything that is not a usable image gets a clear form error, never a 500, and
nothing is saved; what is saved, and every rendition of it, keeps no metadata."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from articles.images import fit_box, fit_width, hero_image
from articles.models import HERO_WIDTHS, Article, Author
from tests.articles.admin_forms import ADD_URL, article_form, png_upload
from tests.articles.conftest import jpeg_upload
from tests.articles.photos import (
    GPS_LATITUDE,
    camera_exif,
    photo_with_gps,
    reveals_anything,
)
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _png_header_only(width, height):
    """A PNG that claims `width` by `height` pixels but carries almost no data: a
    decompression bomb's header, dangerous only to code that decodes it."""

    def chunk(kind, payload):
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _post_hero(client, upload):
    data = article_form(SectionFactory(), hero_image=upload, hero_alt="A picture")
    return client.post(ADD_URL, data)


def _hero_errors(response):
    assert response.status_code == 200
    return " ".join(response.context["adminform"].form.errors.get("hero_image", []))


def _nothing_saved(settings):
    media = settings.MEDIA_ROOT
    return not Article.objects.exists() and not (media.exists() and any(media.rglob("*.*")))


def test_a_real_image_is_accepted(editor_client):
    response = _post_hero(editor_client, png_upload())

    assert response.status_code == 302
    assert Article.objects.get().hero_image


def test_a_file_that_is_not_an_image_is_refused(editor_client, settings):
    upload = SimpleUploadedFile("photo.jpg", b"just some text", content_type="image/jpeg")

    response = _post_hero(editor_client, upload)

    assert "valid image" in _hero_errors(response)
    assert _nothing_saved(settings)


def test_an_svg_is_refused(editor_client, settings):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>"
    )
    upload = SimpleUploadedFile("logo.svg", svg, content_type="image/svg+xml")

    response = _post_hero(editor_client, upload)

    assert _hero_errors(response)
    assert _nothing_saved(settings)


def test_an_image_type_we_do_not_serve_is_refused(editor_client, settings):
    output = io.BytesIO()
    Image.new("RGB", (20, 20)).save(output, "BMP")
    upload = SimpleUploadedFile("scan.bmp", output.getvalue(), content_type="image/bmp")

    response = _post_hero(editor_client, upload)

    assert "BMP images are not accepted" in _hero_errors(response)
    assert _nothing_saved(settings)


def test_an_image_with_too_many_pixels_is_refused(editor_client, settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000

    response = _post_hero(editor_client, png_upload(size=(1200, 1000)))

    assert "1200×1000 pixels" in _hero_errors(response)
    assert _nothing_saved(settings)


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_header_claiming_a_huge_image_is_refused_before_decoding(editor_client, settings):
    # 100 million pixels: over our 40 million limit, under Pillow's own hard limit.
    upload = SimpleUploadedFile("bomb.png", _png_header_only(10_000, 10_000))

    response = _post_hero(editor_client, upload)

    assert "10000×10000 pixels" in _hero_errors(response)
    assert _nothing_saved(settings)


def test_a_decompression_bomb_is_refused(editor_client, settings):
    # 3.6 billion pixels: Pillow refuses to even open it.
    upload = SimpleUploadedFile("bomb.png", _png_header_only(60_000, 60_000))

    response = _post_hero(editor_client, upload)

    assert _hero_errors(response)
    assert _nothing_saved(settings)


def test_a_file_over_the_size_limit_is_refused(editor_client, settings):
    settings.MAX_UPLOAD_SIZE = 100

    response = _post_hero(editor_client, png_upload(size=(200, 200)))

    assert "largest image accepted" in _hero_errors(response)
    assert _nothing_saved(settings)


def test_an_author_photo_bomb_is_refused(editor_client, settings):
    upload = SimpleUploadedFile("face.png", _png_header_only(60_000, 60_000))
    data = {"name": "Ann Lee", "slug": "ann-lee", "role": "", "bio": "", "photo": upload}

    response = editor_client.post(reverse("admin:articles_author_add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    assert not Author.objects.exists()


# --- Metadata: nothing about where, when or with what a picture was taken ----------
# (articles/images.py: strip_metadata, MetadataFreeImageField)


def _stored_hero(editor_client, upload):
    response = _post_hero(editor_client, upload)
    assert response.status_code == 302
    return Article.objects.get()


def test_the_test_photo_really_carries_gps():
    # The premise of the tests below.
    with Image.open(photo_with_gps()) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (
            GPS_LATITUDE
        )


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_a_stored_hero_image_keeps_no_metadata(editor_client, image_format):
    article = _stored_hero(editor_client, photo_with_gps(image_format))

    assert not reveals_anything(article.hero_image)


def test_a_stored_hero_image_keeps_its_format_and_size(editor_client):
    article = _stored_hero(editor_client, photo_with_gps(size=(60, 40)))

    with Image.open(article.hero_image.path) as image:
        assert (image.format, image.size) == ("JPEG", (60, 40))


@pytest.mark.parametrize("rendition", ["hero_480", "hero_800", "hero_1200"])
def test_every_rendition_keeps_no_metadata(editor_client, rendition):
    article = _stored_hero(editor_client, photo_with_gps(size=(1300, 700)))

    spec = getattr(article, rendition)
    spec.generate()

    assert not reveals_anything(spec)


def test_a_rendition_of_an_older_file_with_gps_keeps_none(settings):
    # A picture stored before stripping existed (or copied in by hand):
    # pilkit re-encodes renditions without metadata all the same.
    from django.core.files.storage import default_storage

    name = default_storage.save("heroes/old.jpg", photo_with_gps(size=(900, 500)))
    article = ArticleFactory(hero_image=name, hero_alt="A scene")

    article.hero_480.generate()

    assert not reveals_anything(article.hero_480)


def test_the_picture_is_turned_upright_before_its_orientation_tag_goes(editor_client):
    # Orientation 6: the camera was held on its side; viewers rotate 90°.
    article = _stored_hero(editor_client, photo_with_gps(size=(60, 40), orientation=6))

    with Image.open(article.hero_image.path) as image:
        assert image.size == (40, 60)
        assert not image.getexif()


def test_the_colour_profile_is_kept(editor_client):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()

    article = _stored_hero(editor_client, photo_with_gps(icc_profile=profile))

    with Image.open(article.hero_image.path) as image:
        assert image.info["icc_profile"] == profile


def test_a_gif_comment_is_dropped(editor_client):
    output = io.BytesIO()
    Image.new("P", (30, 30)).save(output, "GIF", comment=b"taken at 51.5N 0.12W")

    article = _stored_hero(editor_client, SimpleUploadedFile("map.gif", output.getvalue()))

    assert not reveals_anything(article.hero_image)


def test_an_animation_keeps_its_frames(editor_client):
    frames = [Image.new("RGB", (30, 30), (60 * n, 0, 0)) for n in range(3)]
    output = io.BytesIO()
    frames[0].save(output, "WEBP", save_all=True, append_images=frames[1:], exif=camera_exif())

    article = _stored_hero(editor_client, SimpleUploadedFile("loop.webp", output.getvalue()))

    with Image.open(article.hero_image.path) as image:
        assert image.n_frames == 3
    assert not reveals_anything(article.hero_image)


def test_an_author_photo_keeps_no_metadata(editor_client):
    data = {"name": "Ann Lee", "slug": "ann-lee", "role": "", "bio": "", "photo": photo_with_gps()}

    editor_client.post(reverse("admin:articles_author_add"), data)

    author = Author.objects.get()
    assert not reveals_anything(author.photo)
    author.photo_thumbnail.generate()
    assert not reveals_anything(author.photo_thumbnail)


def test_a_story_saved_outside_the_admin_is_stripped_too():
    article = ArticleFactory(hero_image=photo_with_gps(), hero_alt="A scene")

    assert not reveals_anything(article.hero_image)


def test_a_truncated_image_is_refused(editor_client, settings):
    # Its header and first scans are fine (Django's own check passes it); the
    # end of the picture is missing.
    output = io.BytesIO()
    Image.effect_noise((300, 200), 60).convert("RGB").save(output, "JPEG")
    upload = SimpleUploadedFile("cut.jpg", output.getvalue()[:-200])

    response = _post_hero(editor_client, upload)

    assert "damaged or incomplete" in _hero_errors(response)
    assert _nothing_saved(settings)


def test_an_animation_too_large_in_all_is_refused(editor_client, settings):
    settings.MAX_IMAGE_PIXELS = 2_000
    frames = [Image.new("RGB", (30, 30), (60 * n, 0, 0)) for n in range(3)]
    output = io.BytesIO()
    frames[0].save(output, "GIF", save_all=True, append_images=frames[1:])

    response = _post_hero(editor_client, SimpleUploadedFile("loop.gif", output.getvalue()))

    assert "3 frames of 30×30 pixels" in _hero_errors(response)
    assert _nothing_saved(settings)


# --- What an <img> needs of an upload (sizes, the hero's srcset)


def test_fit_width_never_upscales():
    assert fit_width((600, 400), 1200) == (600, 400)
    assert fit_width((1600, 900), 800) == (800, 450)


def test_fit_box_keeps_the_aspect_ratio():
    assert fit_box((400, 200), 160, 160) == (160, 80)


@pytest.mark.django_db
def test_hero_srcset_offers_each_rendition_with_its_real_width():
    article = ArticleFactory(hero_image=jpeg_upload(1600, 900), hero_alt="A river")
    hero = hero_image(article, widths=HERO_WIDTHS, default_width=800)
    widths = [entry.rsplit(" ", 1)[1] for entry in hero.srcset.split(", ")]
    assert widths == ["480w", "800w", "1200w"]
    assert (hero.width, hero.height) == (1200, 675)
    assert hero.src == article.hero_800.url


@pytest.mark.django_db
def test_hero_srcset_leaves_out_renditions_a_small_image_cannot_fill():
    article = ArticleFactory(hero_image=jpeg_upload(600, 400), hero_alt="A river")
    hero = hero_image(article, widths=HERO_WIDTHS, default_width=800)
    widths = [entry.rsplit(" ", 1)[1] for entry in hero.srcset.split(", ")]
    assert widths == ["480w", "600w"]
    assert (hero.width, hero.height) == (600, 400)


@pytest.mark.django_db
def test_no_hero_without_an_image():
    assert hero_image(ArticleFactory(), widths=HERO_WIDTHS, default_width=800) is None


@pytest.mark.django_db
def test_a_hero_file_missing_from_storage_shows_no_image():
    article = ArticleFactory(hero_image=jpeg_upload(), hero_alt="A river")
    article.hero_image.storage.delete(article.hero_image.name)
    assert hero_image(article, widths=HERO_WIDTHS, default_width=800) is None
