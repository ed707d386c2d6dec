"""Image uploads in the admin (articles/images.py and Django's ImageField):
anything that is not a usable image gets a clear form error, never a 500, and
nothing is saved."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article, Author
from tests.articles.admin_forms import ADD_URL, article_form, png_upload
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


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
