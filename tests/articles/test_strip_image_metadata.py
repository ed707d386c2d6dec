"""`manage.py strip_image_metadata`: pictures stored before uploads were
stripped, or copied into MEDIA_ROOT by hand, lose their metadata in place."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.articles.photos import photo_with_gps, reveals_anything
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_story():
    """A story whose picture went into storage with its GPS position."""
    name = default_storage.save("heroes/old.jpg", photo_with_gps(size=(90, 60)))
    return ArticleFactory(hero_image=name, hero_alt="A scene")


def run(*args):
    out = io.StringIO()
    call_command("strip_image_metadata", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_a_stored_picture_loses_its_metadata_in_place(old_story):
    run()

    old_story.refresh_from_db()
    assert old_story.hero_image.name == "heroes/old.jpg"
    assert not reveals_anything(old_story.hero_image)


def test_an_old_author_photo_loses_its_metadata_too():
    author = AuthorFactory(photo=default_storage.save("authors/old.jpg", photo_with_gps()))

    run()

    assert not reveals_anything(author.photo)


def test_it_says_how_many_pictures_it_stripped(old_story):
    ArticleFactory(hero_image=photo_with_gps(), hero_alt="Stripped on upload already")

    assert "from 1 picture(s)" in run()


def test_a_dry_run_only_counts(old_story):
    assert "1 picture(s) carry metadata" in run("--dry-run")
    assert reveals_anything(old_story.hero_image)


def test_a_missing_file_is_reported_not_fatal(old_story):
    default_storage.delete(old_story.hero_image.name)

    assert "from 0 picture(s)" in run()
