"""Strip the metadata from images stored before uploads were stripped on save.

New uploads are stored without EXIF, XMP, IPTC or comments
(articles/images.py: MetadataFreeImageField). Pictures stored earlier, or
copied into MEDIA_ROOT by hand, may still carry a GPS position: this command
re-encodes every hero image and author photo that has any, in place (same
name, so stories and renditions keep pointing at it). Run it once after
upgrading, or after restoring old media:

    python manage.py strip_image_metadata --dry-run   # how many carry metadata
    python manage.py strip_image_metadata
"""

from django.core.management.base import BaseCommand

from articles.images import carries_metadata, strip_metadata
from articles.models import Article, Author


def stored_images():
    """Every stored picture's FieldFile: hero images, then author photos."""
    for article in Article.objects.exclude(hero_image="").only("hero_image").iterator():
        yield article.hero_image
    for author in Author.objects.exclude(photo="").only("photo").iterator():
        yield author.photo


class Command(BaseCommand):
    help = "Re-encode stored hero images and author photos that still carry metadata."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the pictures that carry metadata."
        )

    def handle(self, *args, dry_run=False, **options):
        found = stripped = missing = 0
        for image in stored_images():
            if not image.storage.exists(image.name):
                missing += 1
                continue
            with image.storage.open(image.name, "rb") as file:
                if not carries_metadata(file):
                    continue
                found += 1
                if dry_run:
                    continue
                clean = strip_metadata(file)
            with image.storage.open(image.name, "wb") as file:
                file.write(clean.read())
            stripped += 1
        if dry_run:
            self.stdout.write(f"{found} picture(s) carry metadata.")
        else:
            self.stdout.write(f"Stripped the metadata from {stripped} picture(s).")
        if missing:
            self.stderr.write(
                f"{missing} picture(s) named in the database are missing from storage."
            )
