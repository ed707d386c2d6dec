"""What a story is: sections, authors, tags, articles, pull-quotes and sources.

Which stories the public may see is decided in one place,
`ArticleQuerySet.published()`; every public view, feed and sitemap uses it.
"""

import datetime
import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.templatetags.static import static
from django.utils import timezone
from django_prose_editor.fields import ProseEditorField
from imagekit.models import ImageSpecField
from pilkit.processors import ResizeToFit

from . import images
from .addresses import address
from .images import MetadataFreeImageField, validate_image_upload

# The editor's toolbar and, from the same list, the allowlist the sanitiser
# (nh3) applies on every save: a tag the editor cannot make cannot be stored.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
}

# Top-level paths the site itself uses: a section cannot take them as its slug.
RESERVED_SECTION_SLUGS = frozenset(
    {
        "admin",
        "author",
        "comments",
        # /community/ is kept for the moderation transparency page (issue 22).
        "community",
        "corrections",
        "feed",
        "media",
        "preview",
        "robots.txt",
        "search",
        "sitemap.xml",
        "static",
        "tag",
        "healthz",
        "readyz",
    }
)


def validate_section_slug(value):
    # The admin's address is configurable (settings.ADMIN_URL): its first part too.
    admin_root = settings.ADMIN_URL.split("/", 1)[0]
    if value in RESERVED_SECTION_SLUGS or value == admin_root:
        raise ValidationError(
            "“%(slug)s” is used by the site itself; choose another slug.",
            params={"slug": value},
            code="reserved_slug",
        )


def _day_label(moment):
    """A publication day as editors read it ("27 Nov 2026"), in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y}"


def iso_datetime(moment):
    """ISO 8601 in the site's time zone, to the second, as readers see the
    date (and as HTML's `<time datetime>` allows: at most 3 fractional
    digits); None for no date."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _absolute(url):
    """An absolute URL on the public site for a path like /media/... ."""
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


# The publisher's logo (static/img/logo.png), as search engines want it.
PUBLISHER_LOGO = ("img/logo.png", 600, 60)


def publisher_jsonld():
    """schema.org Organization for the publication (settings.SITE_NAME)."""
    path, width, height = PUBLISHER_LOGO
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": _absolute(static(path)),
            "width": width,
            "height": height,
        },
    }


# The box an author's photo_thumbnail is fitted into.
PHOTO_THUMBNAIL_BOX = (160, 160)

# Widths of the hero-image renditions offered in `srcset`.
HERO_WIDTHS = (480, 800, 1200)
HERO_DEFAULT_WIDTH = 800  # the <img src> for browsers that ignore srcset


def _hero_rendition(width):
    return ImageSpecField(
        source="hero_image",
        processors=[ResizeToFit(width=width, upscale=False)],
        format="JPEG",
        options={"quality": 82, "progressive": True},
    )


class KeepsOldAddress(models.Model):
    """A model whose address is made from its slug (a section, a tag, an
    author): a changed slug leaves a permanent redirect from the old address
    (issue 16). A section's covers every address under it (its stories, its
    feed): one row, not one per story."""

    redirects_whole_tree = False

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        old_slug = None
        if not self._state.adding:
            old_slug = type(self).objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if old_slug is not None and old_slug != self.slug:
            Redirect.objects.move(
                type(self)(slug=old_slug).get_absolute_url(),
                self.get_absolute_url(),
                is_prefix=self.redirects_whole_tree,
            )


class Section(KeepsOldAddress):
    redirects_whole_tree = True

    name = models.CharField(
        max_length=80, unique=True, help_text='As shown in the navigation, e.g. "Politics".'
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text="The section's address: /<slug>/. Old addresses redirect to a new one.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences shown at the top of the section page."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Position in the site navigation; lower comes first."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:section", section=self.slug)

    @property
    def feed_url(self):
        return address("articles:section_feed", section=self.slug)

    @property
    def atom_feed_url(self):
        return address("articles:section_atom_feed", section=self.slug)


class Author(KeepsOldAddress):
    """A byline. Independent of user accounts: a guest writer needs no login."""

    name = models.CharField(max_length=120, help_text="As it appears in the byline.")
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The author page's address: /author/<slug>/."
    )
    role = models.CharField(
        max_length=160, blank=True, help_text='Shown with the byline, e.g. "Senior reporter".'
    )
    bio = models.TextField(blank=True, max_length=1000, help_text="A short biography, plain text.")
    photo = MetadataFreeImageField(
        upload_to="authors/%Y/",
        blank=True,
        validators=[validate_image_upload],
        help_text="A square portrait works best. JPEG, PNG, GIF or WebP.",
    )
    photo_thumbnail = ImageSpecField(
        source="photo",
        processors=[ResizeToFit(*PHOTO_THUMBNAIL_BOX)],
        format="JPEG",
        options={"quality": 85},
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:author", slug=self.slug)

    @property
    def photo_size(self):
        """(width, height) of photo_thumbnail, or None without a readable photo."""
        size = images.image_size(self.photo)
        return images.fit_box(size, *PHOTO_THUMBNAIL_BOX) if size else None


class Tag(KeepsOldAddress):
    name = models.CharField(
        max_length=60, unique=True, help_text='A topic, e.g. "Public contracts".'
    )
    slug = models.SlugField(
        max_length=60, unique=True, help_text="The tag page's address: /tag/<slug>/."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return address("articles:tag", slug=self.slug)


def published_filter(*, at=None, prefix=""):
    """The rule for what the public may see, as a Q: published, and its time
    has come (by `at`, default now). `prefix` applies it to copies of a
    story's status and time elsewhere (a Byline's `story_status` and
    `story_published_at`: prefix "bylines__story_").

    "Scheduled" is not a stored state: it is a published story whose
    `published_at` is still in the future, so it goes live on time with no
    job to run. `Article.is_public` asks the same of one row in hand
    (tests/articles/test_models.py holds the two together).
    """
    at = timezone.now() if at is None else at
    return models.Q(
        **{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": at}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """Stories the public may see now (or at `at`): `published_filter`."""
        return self.filter(published_filter(at=at))

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_review(self):
        return self.filter(status=Article.Status.REVIEW)

    def latest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_article_page(self):
        """The story's row with its section: the rest of what the article page
        shows (`queries.page_relations`) is fetched by the parts of the page
        that draw it, when they are not in the fragment cache."""
        return self.select_related("section")

    def for_listing(self):
        """What a list of stories shows (section, byline) in a fixed number of queries."""
        return self.select_related("section").prefetch_related(
            models.Prefetch(
                "bylines", queryset=Byline.objects.select_related("author").order_by("order", "pk")
            )
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    headline = models.CharField(
        max_length=200,
        help_text="Clear and specific; it is also the page title and the feed entry.",
    )
    slug = models.SlugField(
        max_length=200,
        help_text="The last part of the story's address; unique per publication day.",
    )
    standfirst = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(600)],
        help_text="The summary under the headline, also used in lists, feeds and link previews.",
    )
    body = ProseEditorField(
        extensions=BODY_EXTENSIONS,
        sanitize=True,
        blank=True,
        help_text="The story. Pull-quotes are placed between paragraphs (see below).",
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Where the story is filed: its address starts with the section.",
    )
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    tags = models.ManyToManyField(
        Tag,
        related_name="articles",
        blank=True,
        help_text="Topics readers can follow; type to find one.",
    )

    hero_image = MetadataFreeImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        help_text="The lead picture. JPEG, PNG, GIF or WebP; resized copies are made for phones.",
    )
    hero_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Describes the picture for readers who cannot see it. Required with an image.",
    )
    hero_caption = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the picture shows, in a sentence. Shown under it.",
    )
    hero_credit = models.CharField(
        max_length=120, blank=True, help_text='Who took it, e.g. "Photo: Jane Doe / Agency".'
    )
    hero_480 = _hero_rendition(HERO_WIDTHS[0])
    hero_800 = _hero_rendition(HERO_WIDTHS[1])
    hero_1200 = _hero_rendition(HERO_WIDTHS[2])

    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=(
            "Draft: work in progress. In review: ready for an editor. "
            "Published: live at the time below (now if it is empty; a future time "
            "schedules it)."
        ),
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the story goes live. A future time schedules it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comments_open = models.BooleanField(
        default=True, help_text="Untick to close the response form under this story."
    )
    is_lead = models.BooleanField(
        "lead story",
        default=False,
        help_text="Lead the home page with this story (otherwise the latest story leads).",
    )
    # Maintained by the comments app (approved responses, replies included), so
    # that lists and the article page show the count without counting rows.
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Moves on with every save (Article.save): the admin form carries the
    # number it was opened at, and a save from an older one is refused as an
    # edit conflict (articles/revisions.py, issue 17).
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            # The public listings: published stories, newest first. With the id
            # (the tie-break of that order) a page deep in the sitemap is read
            # from the index alone (docs/performance.md, issue 6).
            models.Index(fields=["status", "-published_at", "-id"], name="article_status_pub_idx"),
            # The admin's Stories list: every story, newest first (Meta.ordering);
            # without it, 100,000 stories were read and sorted on each load.
            models.Index(fields=["-published_at", "-id"], name="article_pub_idx"),
            models.Index(
                fields=["section", "status", "-published_at"], name="article_section_pub_idx"
            ),
            # The home page's lead: the newest flagged story. Only flagged rows
            # are indexed, so it is found at once however few there are or how
            # old (docs/performance.md).
            models.Index(
                fields=["-published_at"],
                condition=models.Q(is_lead=True),
                name="article_lead_idx",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish stories"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        is_new = self._state.adding
        update_fields = kwargs.get("update_fields")
        moves = update_fields is None or {"slug", "section", "status", "published_at"} & set(
            update_fields
        )
        before = None
        if moves and not is_new:
            before = Article.objects.filter(pk=self.pk).select_related("section").first()
        # Whether readers could see it until this save, for the takedown
        # purge (articles/signals.py). Without the fields that decide it
        # among those saved, the save cannot change it.
        self._was_public = (
            before.is_public if before is not None else (not is_new and self.is_public)
        )
        if not is_new:
            # In the database, not from this copy: a copy read before someone
            # else's save must not hand out their number again.
            self.version = models.F("version") + 1
            if update_fields is not None:
                kwargs["update_fields"] = [*update_fields, "version"]
        super().save(*args, **kwargs)
        if not is_new:
            self.refresh_from_db(fields=["version"])
        changes_when = update_fields is None or {"status", "published_at"} & set(update_fields)
        if changes_when and not is_new:
            # The bylines' copies (Byline's docstring); a new story has no bylines yet.
            self.bylines.update(story_status=self.status, story_published_at=self.published_at)
        if before is not None:
            self._keep_old_address(before)

    def get_absolute_url(self):
        # Drafts have no date yet: their would-be address uses today's.
        local = timezone.localtime(self.published_at or timezone.now())
        return address(
            "articles:detail",
            section=self.section.slug,
            year=local.year,
            month=f"{local.month:02d}",
            day=f"{local.day:02d}",
            slug=self.slug,
        )

    def _keep_old_address(self, before):
        """Every address a public story had keeps answering (issue 16): a
        move leaves a 301, a takedown a 410, a story back up its old
        addresses leading to it again."""
        was = before.get_absolute_url() if before.is_public else None
        now = self.get_absolute_url() if self.is_public else None
        if was and now and was != now:
            Redirect.objects.move(was, now, article_id=self.pk)
        elif was and not now:
            Redirect.objects.gone(was, article_id=self.pk)
        elif now and not was:
            Redirect.objects.back(now, article_id=self.pk)

    @property
    def is_public(self):
        """Whether the public may see this story now: `published_filter`'s
        rule, asked of one row already in hand (e.g. a cached one)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def state(self):
        """Draft, In review, Scheduled or Live: what the admin list shows."""
        if self.status == self.Status.PUBLISHED:
            if self.published_at and self.published_at > timezone.now():
                return "Scheduled"
            return "Live"
        return self.get_status_display()

    def ordered_authors(self):
        """Authors in byline order, from the prefetch cache when there is one."""
        return [byline.author for byline in self.bylines.all()]

    # --- What the public pages show (templates render these; markup: html.py)

    # An edit this long after publication is worth telling readers about
    # ("Updated ..."); quicker fixes (a typo found at once) are not.
    UPDATE_NOTICE_AFTER = datetime.timedelta(minutes=30)

    @property
    def last_modified(self):
        """When the public last saw a change: a story edited before its
        scheduled time was not modified after it went out."""
        if self.published_at is None:
            return self.updated_at
        return max(self.updated_at, self.published_at)

    @property
    def was_updated(self):
        """Whether to show "Updated" beside the date."""
        return (
            self.published_at is not None
            and self.updated_at - self.published_at > self.UPDATE_NOTICE_AFTER
        )

    def absolute_url(self):
        """The canonical address, with the site's public origin (settings.SITE_URL)."""
        return settings.SITE_URL + self.get_absolute_url()

    @cached_property
    def hero(self):
        """The hero image's <img srcset> data (images.HeroImage), or None."""
        return images.hero_image(self, widths=HERO_WIDTHS, default_width=HERO_DEFAULT_WIDTH)

    @property
    def hero_cache_key(self):
        """Where `hero` is kept in the cache (None: no hero), to fetch it ahead."""
        return images.hero_cache_key(self, HERO_WIDTHS, HERO_DEFAULT_WIDTH)

    def sanitised_body(self):
        """The stored body, through the field's nh3 allowlist again: the
        ProseEditorField sanitises in forms and full_clean(), but not a story
        saved any other way (a script, an import, the shell), and the page
        marks this HTML safe (html.body_with_pull_quotes)."""
        return self._meta.get_field("body").sanitize(self.body)

    def jsonld(self, relations):
        """schema.org NewsArticle for search engines, as a dict (rendered as
        JSON-LD). `relations`: the story's queries.PageRelations."""
        canonical = self.absolute_url()
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.headline,
            "description": self.standfirst,
            "url": canonical,
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "articleSection": self.section.name,
            "datePublished": iso_datetime(self.published_at),
            "dateModified": iso_datetime(self.last_modified),
            "author": [
                {
                    "@type": "Person",
                    "name": author.name,
                    "url": settings.SITE_URL + author.get_absolute_url(),
                }
                for author in relations.authors
            ],
            "publisher": publisher_jsonld(),
        }
        if self.hero:
            data["image"] = [_absolute(url) for url in self.hero.urls]
        keywords = [tag.name for tag in relations.tags]
        if keywords:
            data["keywords"] = keywords
        standing = [note for note in relations.notes if note.withdrawn_at is None]
        if standing:
            latest = max(note.amended_at or note.noted_at for note in standing)
            data["dateModified"] = iso_datetime(max(self.last_modified, latest))
        corrections = [note for note in standing if note.is_correcting]
        if corrections:
            data["correction"] = [
                {
                    "@type": "CorrectionComment",
                    "text": note.text,
                    "datePublished": iso_datetime(note.noted_at),
                }
                for note in corrections
            ]
        return data

    def opengraph(self, relations):
        """Open Graph properties (og:*, article:*) for link previews, as a dict.
        `article:tag` is a list: one element per tag. `relations`: the
        story's queries.PageRelations."""
        data = {
            "og:type": "article",
            "og:site_name": settings.SITE_NAME,
            "og:title": self.headline,
            "og:description": self.standfirst,
            "og:url": self.absolute_url(),
            "article:published_time": iso_datetime(self.published_at),
            "article:modified_time": iso_datetime(self.last_modified),
            "article:section": self.section.name,
        }
        if self.hero:
            data["og:image"] = _absolute(self.hero.src)
            data["og:image:alt"] = self.hero_alt
        data["article:tag"] = [tag.name for tag in relations.tags]
        return data

    def address_clash(self, published_at=None):
        """Another story with this slug on the same publication day, or None.

        The address is /<section>/<yyyy>/<mm>/<dd>/<slug>/ with the day in
        settings.TIME_ZONE, so a slug must be unique per local day (`__date`
        converts to the current time zone, as `get_absolute_url` does).
        A story without a publication time has no address yet: no clash.
        """
        published_at = published_at or self.published_at
        if published_at is None or not self.slug:
            return None
        local_day = timezone.localtime(published_at).date()
        return (
            Article.objects.filter(slug=self.slug, published_at__date=local_day)
            .exclude(pk=self.pk)
            .first()
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_image and not self.hero_alt.strip():
            errors["hero_alt"] = ValidationError(
                "Add alt text: describe the picture for readers who cannot see it.",
                code="hero_alt_required",
            )
        if clash := self.address_clash():
            errors["slug"] = ValidationError(
                "“%(headline)s” already uses this slug on %(day)s; "
                "choose another slug or another publication date.",
                params={"headline": clash.headline, "day": _day_label(self.published_at)},
                code="slug_taken_that_day",
            )
        if errors:
            raise ValidationError(errors)


class StoryNoteQuerySet(models.QuerySet):
    def corrections(self):
        """Corrections and clarifications still standing (not withdrawn)."""
        return self.filter(kind__in=StoryNote.CORRECTING_KINDS, withdrawn_at__isnull=True)

    def on_public_stories(self, at=None):
        return self.filter(published_filter(at=at, prefix="article__"))


class StoryNote(models.Model):
    """A dated note an editor appends to a story (issue 18 §1): a correction,
    clarification, update or editor's note. Part of the public record, so
    never silently changed: a change of its kind, text or time is dated
    (`amended_at`, shown as "amended on"), and a note is withdrawn, not deleted
    (`withdrawn_at`: the story keeps a line saying so). The admin lets only
    editors add or change notes, and none delete them."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor's note"

    # Listed on /corrections/ and in the story's JSON-LD as CorrectionComment.
    CORRECTING_KINDS = (Kind.CORRECTION, Kind.CLARIFICATION)
    # Shown above the story, before anyone reads on (README, "Corrections").
    TOP_KINDS = (Kind.CORRECTION, Kind.CLARIFICATION, Kind.EDITORS_NOTE)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        help_text=(
            "Correction: a fact was wrong. Clarification: it was right but could "
            "mislead. Update: something new happened. Editor's note: how to read the story."
        ),
    )
    text = models.TextField(
        validators=[MaxLengthValidator(2000)],
        help_text="Plain text; web addresses become links. Say what was wrong and what is right.",
    )
    noted_at = models.DateTimeField(
        "date and time", default=timezone.now, help_text="Shown with the note; now by default."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    amended_at = models.DateTimeField("amended", null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField("withdrawn", null=True, blank=True, editable=False)

    objects = StoryNoteQuerySet.as_manager()

    class Meta:
        ordering = ["noted_at", "pk"]
        indexes = [
            # /corrections/: the newest corrections and clarifications.
            models.Index(fields=["kind", "-noted_at"], name="storynote_kind_time_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.article}"

    def save(self, *args, **kwargs):
        # To the second, as the admin shows and posts it back: a form saved
        # unchanged is then not an amendment.
        self.noted_at = self.noted_at.replace(microsecond=0)
        if self.pk is not None:
            before = StoryNote.objects.filter(pk=self.pk).values("kind", "text", "noted_at").first()
            if before and before != {
                "kind": self.kind,
                "text": self.text,
                "noted_at": self.noted_at,
            }:
                self.amended_at = timezone.now()
        super().save(*args, **kwargs)
        # A note is a change to the story: its "Updated" time, dateModified
        # and feed entry move with it (.update(): no other field is touched).
        Article.objects.filter(pk=self.article_id).update(updated_at=timezone.now())

    def withdraw(self):
        if self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.save()

    @property
    def is_correcting(self):
        return self.kind in self.CORRECTING_KINDS


class OpenedStory(models.Model):
    """Who has a story's admin page open: "Opened by NAME at TIME" for the
    others (issue 17 §2). A notice only: the edit conflict check is the
    version number, never this."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_opened_story"),
        ]

    def __str__(self):
        return f"{self.article} opened by {self.user}"


class Byline(models.Model):
    """An author's place on a story: co-authors are listed in `order`.

    `story_status` and `story_published_at` are copies of the story's, kept by
    `save()` here and `Article.save()`, so the author page reads an author's
    newest published stories down `byline_author_pub_idx`: 12 entries whether
    the author wrote yesterday or ten years ago (docs/performance.md, issue 6).
    Without them PostgreSQL walked every newest story until 12 were the
    author's.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author,
        on_delete=models.PROTECT,
        related_name="bylines",
        help_text="Type to find an author; add a new one with the + button.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Co-authors are listed from the lowest number."
    )
    story_status = models.CharField(max_length=12, editable=False, default="")
    story_published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline"),
        ]
        indexes = [
            models.Index(
                fields=["author", "story_status", "-story_published_at", "-article"],
                name="byline_author_pub_idx",
            ),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"

    def save(self, *args, **kwargs):
        self.story_status = self.article.status
        self.story_published_at = self.article.published_at
        super().save(*args, **kwargs)


class Source(models.Model):
    """A document, post or statement the story rests on, kept as captured."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        SOCIAL_POST = "social", "Social media post"
        STATEMENT = "statement", "Statement"
        REPORT = "report", "Report"
        INTERVIEW = "interview", "Interview"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(
        max_length=250,
        help_text='What it is, e.g. "Resignation letter" or "Statement to the press".',
    )
    kind = models.CharField(
        max_length=12,
        choices=Kind.choices,
        default=Kind.DOCUMENT,
        help_text="A social post is shown as a quoted card with a link, never an embed.",
    )
    url = models.URLField("URL", max_length=500, blank=True, help_text="Where readers can find it.")
    publisher = models.CharField(
        "published by",
        max_length=200,
        blank=True,
        help_text='Who published it, e.g. "Jane Doe (@janedoe) on X" or "Ministry of Health".',
    )
    published_on = models.DateField(
        "date", null=True, blank=True, help_text="When it was published or given."
    )
    quoted_text = models.TextField(
        blank=True,
        max_length=5000,
        help_text="The words as captured, so the story survives a deleted post.",
    )
    archive_url = models.URLField(
        "archived copy URL",
        max_length=500,
        blank=True,
        help_text="A web archive copy, e.g. from the Wayback Machine.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Sources are listed from the lowest number."
    )

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class PullQuote(models.Model):
    """Words from a named person, set apart in the story after a given paragraph."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pull_quotes")
    text = models.TextField(
        max_length=2000,
        help_text="The words exactly as said or written, without quotation marks.",
    )
    speaker = models.CharField(max_length=160, help_text='e.g. "Dr. Jane Roe".')
    speaker_role = models.CharField(
        max_length=250, blank=True, help_text='e.g. "Executive Director of Example Trust".'
    )
    source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pull_quotes",
        help_text=(
            "Where the words come from, if it is one of this story's sources. "
            "A source added just now can be linked after saving."
        ),
    )
    after_paragraph = models.PositiveSmallIntegerField(
        default=1,
        help_text="Shown after this paragraph of the body (0: before the first). "
        "Past the end, it goes last.",
    )
    # Quote checks (issue 18 §2; the rule: articles/quotes.py, run on every
    # save by articles/publishing.py: check_quotes). Admin-only: no public
    # page reads these (articles/queries.py: QUOTE_FIELDS), nor do revisions.
    # Database defaults too: rows inserted outside the ORM (bench/data.py, an
    # import's bulk SQL) are then unchecked, unflagged and unconfirmed.
    unmatched_words = models.TextField(
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The quote's words not found in the body or its source at the last "
        "check, one run per line; empty when it was found.",
    )
    checked_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Empty: not checked since before checks."
    )
    confirmed_text = models.TextField(
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text="The words as an editor confirmed them.",
    )
    confirmation_reason = models.CharField(
        max_length=300,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text='How the editor knows the words were said, e.g. "from the interview '
        'recording, 12 May".',
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, editable=False)

    CONFIRMATION_FIELDS = ("confirmed_text", "confirmation_reason", "confirmed_by", "confirmed_at")

    class Meta:
        ordering = ["after_paragraph", "pk"]
        indexes = [
            # The editors' desk: stories with a quote awaiting confirmation
            # (articles/desk.py). Only such quotes are indexed: a handful.
            models.Index(
                fields=["article"],
                condition=models.Q(confirmed_at__isnull=True) & ~models.Q(unmatched_words=""),
                name="pullquote_awaiting_idx",
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        # A confirmation vouches for the words confirmed: new words need a new one.
        if self.confirmed_at is not None and self.text != self.confirmed_text:
            self.clear_confirmation()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *self.CONFIRMATION_FIELDS}
        super().save(*args, **kwargs)

    def confirm(self, *, by, reason, at):
        """An editor vouches for these words (saved by the caller)."""
        self.confirmed_text = self.text
        self.confirmation_reason = reason
        self.confirmed_by = by
        self.confirmed_at = at

    def clear_confirmation(self):
        self.confirmed_text = self.confirmation_reason = ""
        self.confirmed_by = self.confirmed_at = None

    @property
    def unmatched_runs(self):
        return [run for run in self.unmatched_words.splitlines() if run]

    @property
    def is_flagged(self):
        """Not found in the body nor its source at the last check."""
        return bool(self.unmatched_words)

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None and self.confirmed_text == self.text

    @property
    def awaits_confirmation(self):
        """Flagged and not confirmed: the story may not be published."""
        return self.is_flagged and not self.is_confirmed


# --- Links that never break (issue 16; articles/redirects.py serves them) -----------


REDIRECT_LOOKUPS_VERSION = "articles:redirects:version"


def redirect_cache_key(key, version):
    """Where articles/redirects.py keeps the answer for one old address."""
    return f"articles:redirect:{version}:{key}"


def forget_redirect_lookups_on_commit():
    """Once committed, every cached answer of articles/redirects.py is
    forgotten: they are kept under one version, which any change renews.
    Changes are rare (an editor's fix), and one (a chain updated, a section
    renamed) changes answers that cannot all be listed."""

    def forget_redirect_lookups():
        cache.set(REDIRECT_LOOKUPS_VERSION, secrets.token_hex(8), None)

    transaction.on_commit(forget_redirect_lookups, robust=True)


def redirect_key(path, query_key="", query_value=""):
    """The indexed key of an old address: a hash, so a path of any length
    (percent-encoded non-Latin slugs run past any column's limit) is found in
    one index lookup."""
    text = f"{path}?{query_key}={query_value}" if query_key else path
    return hashlib.sha256(text.encode()).hexdigest()


class RedirectQuerySet(models.QuerySet):
    def resolve(self, path, query_key="", query_value=""):
        """Where an old address leads now: a path, Redirect.GONE, or None.
        One indexed row; for a path under a renamed section, the section's
        row and then (the story may have moved too) the new path's."""
        row = self.filter(key=redirect_key(path, query_key, query_value)).first()
        if row is not None:
            return Redirect.GONE if row.is_gone else row.new_path
        if query_key or not path.startswith("/") or path.count("/") < 2:
            return None
        prefix = "/" + path.split("/")[1] + "/"
        moved = self.filter(key=redirect_key(prefix), is_prefix=True).first()
        if moved is None or moved.is_gone:
            return Redirect.GONE if moved is not None else None
        new_path = moved.new_path + path[len(prefix) :]
        again = self.filter(key=redirect_key(new_path), is_prefix=False).first()
        if again is not None:
            return Redirect.GONE if again.is_gone else again.new_path
        return new_path

    def move(self, old_path, new_path, *, article_id=None, is_prefix=False):
        """`old_path` now lives at `new_path`: a permanent redirect, with no
        chains (what led to `old_path` now leads to `new_path`) and no loop
        (an old address that the story lives at again stops redirecting)."""
        self.filter(new_path=old_path, is_prefix=is_prefix).update(new_path=new_path, is_gone=False)
        self.filter(key=redirect_key(new_path)).delete()
        self.update_or_create(
            key=redirect_key(old_path),
            defaults={
                "old_path": old_path,
                "new_path": new_path,
                "is_gone": False,
                "is_prefix": is_prefix,
                "article_id": article_id,
            },
        )
        forget_redirect_lookups_on_commit()

    def gone(self, path, *, article_id):
        """A story taken down: its address and every old one answer 410."""
        self.filter(article_id=article_id).update(new_path="", is_gone=True)
        self.update_or_create(
            key=redirect_key(path),
            defaults={"old_path": path, "new_path": "", "is_gone": True, "article_id": article_id},
        )
        forget_redirect_lookups_on_commit()

    def back(self, path, *, article_id):
        """A story public again at `path`: its old addresses lead there again."""
        self.filter(key=redirect_key(path)).delete()
        self.filter(article_id=article_id, is_gone=True).update(new_path=path, is_gone=False)
        forget_redirect_lookups_on_commit()


class Redirect(models.Model):
    """An old address of the site: a permanent redirect to a new one, or Gone.

    Not Django's `redirects` app: it needs `django.contrib.sites` and caps a
    path at 200 characters, which percent-encoded non-Latin slugs exceed. No
    foreign key to the story it was made for (`article_id`, a plain number):
    a deleted story keeps its 410.
    """

    GONE = "\x00gone"  # what `resolve()` says of an address that answers 410

    old_path = models.TextField(
        help_text="The old address on this site, from the first slash, e.g. "
        "/news/2024/05/01/old-slug/. With “query key”: / and the key's value below."
    )
    query_key = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("p", "?p= (a WordPress post)"),
            ("page_id", "?page_id= (a WordPress page)"),
            ("cat", "?cat= (a WordPress category)"),
        ],
        help_text="For an old query address such as /?p=123: the key (p) and its value (123).",
    )
    query_value = models.CharField(max_length=100, blank=True)
    key = models.CharField(max_length=64, unique=True, editable=False)
    new_path = models.TextField(
        "new address",
        blank=True,
        help_text="Where it leads now, on this site (e.g. /news/2024/05/01/new-slug/). "
        "Empty with “gone”.",
    )
    is_gone = models.BooleanField(
        "gone",
        default=False,
        help_text="Answer “410 Gone”: the page was taken down on purpose and will not come back.",
    )
    is_prefix = models.BooleanField(
        "everything under it",
        default=False,
        help_text="Redirect every address that starts with the old one (a renamed section).",
    )
    article_id = models.BigIntegerField(null=True, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        # No index on new_path: a B-tree cannot hold a text that long (PostgreSQL
        # refuses rows over ~2.7 kB), and it is read only when something moves
        # (an editor's save), never by a reader.

    def __str__(self):
        return f"{self.old_address} → {'410 Gone' if self.is_gone else self.new_path}"

    def save(self, *args, **kwargs):
        self.key = redirect_key(self.old_path, self.query_key, self.query_value)
        super().save(*args, **kwargs)
        if self.new_path or self.is_gone:
            # No chains: what led here leads where this leads now.
            Redirect.objects.filter(new_path=self.old_path, is_prefix=self.is_prefix).exclude(
                pk=self.pk
            ).update(new_path=self.new_path, is_gone=self.is_gone)
        forget_redirect_lookups_on_commit()

    def delete(self, *args, **kwargs):
        forget_redirect_lookups_on_commit()
        return super().delete(*args, **kwargs)

    @property
    def old_address(self):
        if self.query_key:
            return f"{self.old_path}?{self.query_key}={self.query_value}"
        return self.old_path

    def clean(self):
        super().clean()
        errors = {}
        admin_root = "/" + settings.ADMIN_URL
        for field, value in (("old_path", self.old_path), ("new_path", self.new_path)):
            if value and (not value.startswith("/") or value.startswith("//")):
                errors[field] = "An address on this site, from its first slash: /news/…"
            elif value and value.startswith(admin_root):
                errors[field] = "The admin's addresses cannot be redirected."
        if self.is_gone == bool(self.new_path):
            errors["new_path"] = "Give a new address, or tick “gone”, not both."
        if self.old_path == "/" and not self.query_key:
            errors["old_path"] = "The home page cannot be redirected."
        if self.query_key and not self.query_value:
            errors["query_value"] = "Give the value of the query key, e.g. 123 for /?p=123."
        if not errors and self.new_path:
            final = Redirect.objects.exclude(pk=self.pk).resolve(self.new_path) or self.new_path
            if final in (self.old_path, Redirect.GONE) or self.new_path == self.old_path:
                errors["new_path"] = (
                    "This would make a loop (or lead to a page that is gone): "
                    f"{self.new_path} already leads back to {self.old_path}."
                    if final == self.old_path or self.new_path == self.old_path
                    else f"{self.new_path} answers 410 Gone: choose the page readers should reach."
                )
            else:
                self.new_path = final  # no chains: straight to where it leads now
        if errors:
            raise ValidationError(errors)


# --- Preview links for people without an account (issue 16 §2) ----------------------


def share_token_hash(token):
    """What is stored of a share link's token: its SHA-256, so the table
    alone never lets anyone in (and a token is never shown again)."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Links that still open their story: not revoked, not expired."""
        at = timezone.now() if at is None else at
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)

    def for_token(self, article_id, token):
        """The usable link this token opens for that story, or None: a token
        of another story, a revoked or an expired one, or none at all."""
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            return None
        return (
            self.usable()
            .select_related("article__section")
            .filter(token_hash=share_token_hash(token), article_id=article_id)
            .first()
        )


class ShareLink(models.Model):
    """A link that lets anyone who has it read a story before it is public
    (a source checking a quote, the lawyer, a freelancer without an account).

    The token is random (256 bits), shown once when the link is made, and
    stored hashed: a signature alone could not be revoked or counted."""

    MIN_DAYS, DEFAULT_DAYS, MAX_DAYS = 1, 7, 30

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    use_count = models.PositiveIntegerField("times used", default=0, editable=False)
    last_used_at = models.DateTimeField("last used", null=True, blank=True, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "preview link"

    def __str__(self):
        return f"Preview link for “{self.article}”, made {_day_label(self.created_at)}"

    @property
    def state(self):
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if self.expires_at <= timezone.now() else "Active"
