"""`manage.py load_demo`: a small, believable newsroom to click through.

Idempotent: every row is found by its slug (or username) and updated, so
running it again creates nothing new; publication times are set only when a
story is first created, so addresses do not move between runs. The demo
accounts' passwords are set to `newsroom-demo` on every run.

Refuses to run with DEBUG off (it creates a superuser with a published
password) unless --force is given.
"""

import datetime

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles import publishing, revisions
from articles.demo import content
from articles.demo.artwork import abstract_hero
from articles.models import (
    Article,
    Author,
    Byline,
    PullQuote,
    Section,
    Source,
    StoryNote,
    Tag,
)


def _update_or_create_by_slug(model, rows):
    """Each row's object, found by its slug and updated (created if new): {slug: object}."""
    return {
        row["slug"]: model.objects.update_or_create(
            slug=row["slug"], defaults={key: value for key, value in row.items() if key != "slug"}
        )[0]
        for row in rows
    }


class Command(BaseCommand):
    help = "Load the demo newsroom (stories, authors, accounts). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (creates accounts with a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo refuses to run with DEBUG off: it creates a superuser whose "
                f"password ({content.DEMO_PASSWORD!r}) is published in the README. "
                "Set DEBUG=1 for a development site, or pass --force if you really mean it."
            )
        with transaction.atomic():
            sections = self.load_sections()
            authors = self.load_authors()
            tags = self.load_tags()
            stories = [content.LEAD_STORY, *content.SHORTER_STORIES]
            articles = [self.load_story(story, sections, authors, tags) for story in stories]
            self.load_notes(articles)
            self.load_accounts()
            self.load_extras(lead=articles[0], articles=articles)
        self.stdout.write(self.style.SUCCESS(f"Demo newsroom loaded: {len(stories)} stories."))
        self.print_accounts()

    def load_sections(self):
        return _update_or_create_by_slug(Section, content.SECTIONS)

    def load_authors(self):
        return _update_or_create_by_slug(Author, content.AUTHORS)

    def load_tags(self):
        rows = [{"slug": slug, "name": name} for slug, name in content.TAGS.items()]
        return _update_or_create_by_slug(Tag, rows)

    def load_story(self, story, sections, authors, tags):
        now = timezone.now()
        article = Article.objects.filter(slug=story["slug"]).first() or Article(
            slug=story["slug"],
            # Only on creation: a second run must not move the story's address.
            published_at=now - datetime.timedelta(hours=story["hours_ago"]),
        )
        article.headline = story["headline"]
        article.standfirst = story["standfirst"]
        article.body = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in story["paragraphs"])
        article.section = sections[story["section"]]
        article.status = Article.Status.PUBLISHED
        article.is_lead = story.get("is_lead", False)
        article.comments_open = True
        hero = story["hero"]
        article.hero_alt = hero["alt"]
        article.hero_caption = hero["caption"]
        article.hero_credit = hero["credit"]
        if not (article.hero_image and article.hero_image.storage.exists(article.hero_image.name)):
            picture = abstract_hero(hero["palette"], hero["motif"], seed=story["slug"])
            article.hero_image.save(f"{story['slug']}.jpg", ContentFile(picture), save=False)
        # Runs the model's rules and the body's HTML sanitiser, as the admin does.
        article.full_clean()
        article.save()
        # Nobody edited the demo after publishing it: without this, `auto_now`
        # stamps the moment load_demo ran, hours after `published_at`, and every
        # story shows an "Updated" notice. (.update() skips auto_now.)
        Article.objects.filter(pk=article.pk).update(updated_at=article.published_at)

        self.set_byline(article, [authors[slug] for slug in story["authors"]])
        article.tags.set([tags[slug] for slug in story["tags"]])
        sources = self.load_sources(article, story.get("sources", []), now)
        self.load_pull_quotes(article, story.get("pull_quotes", []), sources)
        # The demo's quotes are written to match its bodies or sources
        # (tests/articles/test_load_demo.py holds them to it): checked like any.
        publishing.check_quotes(article)
        if not revisions.revisions_of(article).exists():
            # History starts with the story as the demo made it.
            revisions.record_revision(article, by=None, summary="first recorded version")
        return article

    def load_notes(self, articles):
        """The demo's corrections, each once (found by its text)."""
        for article in articles:
            for row in content.NOTES.get(article.slug, []):
                noted_at = article.published_at + datetime.timedelta(hours=row["hours_after"])
                StoryNote.objects.get_or_create(
                    article=article,
                    text=row["text"],
                    defaults={"kind": row["kind"], "noted_at": noted_at},
                )
                # Last modified when it was corrected, not when load_demo ran.
                Article.objects.filter(pk=article.pk).update(updated_at=noted_at)

    def load_extras(self, *, lead, articles):
        """A hook for apps that build on articles: the comments app's own
        `load_demo` (which overrides this command) adds demo responses here."""

    def set_byline(self, article, authors):
        article.bylines.exclude(author__in=authors).delete()
        for order, author in enumerate(authors):
            Byline.objects.update_or_create(
                article=article, author=author, defaults={"order": order}
            )

    def load_sources(self, article, sources, now):
        by_key = {}
        for order, data in enumerate(sources):
            by_key[data["key"]] = Source.objects.update_or_create(
                article=article,
                title=data["title"],
                defaults={
                    "kind": data["kind"],
                    "publisher": data["publisher"],
                    "url": data["url"],
                    "published_on": (now - datetime.timedelta(days=data["days_ago"])).date(),
                    "quoted_text": data["quoted_text"],
                    "order": order,
                },
            )[0]
        article.sources.exclude(pk__in=[source.pk for source in by_key.values()]).delete()
        return by_key

    def load_pull_quotes(self, article, pull_quotes, sources):
        kept = []
        for data in pull_quotes:
            quote, _ = PullQuote.objects.update_or_create(
                article=article,
                speaker=data["speaker"],
                defaults={
                    "text": data["text"],
                    "speaker_role": data["speaker_role"],
                    "source": sources.get(data.get("source")),
                    "after_paragraph": data["after_paragraph"],
                },
            )
            kept.append(quote.pk)
        article.pull_quotes.exclude(pk__in=kept).delete()

    def load_accounts(self):
        for account in content.ACCOUNTS:
            user, _ = User.objects.get_or_create(username=account["username"])
            user.email = f"{account['username']}@example.org"
            user.is_staff = True
            user.is_superuser = account["superuser"]
            user.set_password(content.DEMO_PASSWORD)
            user.save()
            if account["group"]:
                # get_or_create: the Editors and Writers groups come with the articles
                # migrations, Moderators with the comments app's; either way it works.
                group, _ = Group.objects.get_or_create(name=account["group"])
                user.groups.add(group)

    def print_accounts(self):
        admin_url = settings.SITE_URL + reverse("admin:index")
        self.stdout.write(f"\nSign in at {admin_url} with password {content.DEMO_PASSWORD!r}:")
        for account in content.ACCOUNTS:
            self.stdout.write(f"  {account['username']:<10} {account['what']}")
