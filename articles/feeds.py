"""RSS 2.0 and Atom feeds of the latest published stories, for the whole site
(/feed/, /feed/atom/) and for each section (/<section>/feed/,
/<section>/feed/atom/); RSS of the latest corrections (/corrections/feed/).

Links are absolute on settings.SITE_URL (the public address, whatever host
the request came in on); Django's syndication framework leaves absolute URLs
as they are.

They follow the W3C Feed Validation Service's rules (issue 18 §4): each
links to itself (`atom:link rel="self"`, Django writes it from `feed_url`);
an entry's id is permanent (`item_guid`: a tag URI, not the story's address,
which changes with its slug, day or section); dates are RFC 822 in RSS and
RFC 3339 in Atom (Django's writers); every Atom entry has an author, its
byline or, without one, the feed's: the newsroom (`author_name`). Names
only: no author's email address is ever published.
"""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import get_text_list

from .models import Article, Section, StoryNote
from .views import listed

FEED_LENGTH = 30

# XML 1.0 forbids most control characters, and Django's feed writer fails on
# them. A headline pasted from a word processor can carry one (a vertical tab,
# a form feed): the feed drops it rather than fail for every reader.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return _NOT_IN_XML.sub("", text) if text else text


class LatestArticlesFeed(Feed):
    """The newest published stories, RSS 2.0."""

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return settings.SITE_DESCRIPTION

    def link(self):
        return settings.SITE_URL + reverse("articles:home")

    def feed_url(self):
        return settings.SITE_URL + reverse("articles:feed")

    def author_name(self):
        # The author of every entry without a byline: Atom requires one for
        # each entry (RFC 4287 §4.1.1), in the entry or the feed. RSS has no
        # such element without an email address, and leaves it out.
        return settings.SITE_NAME

    def stories(self, obj):
        return Article.objects.published()

    def items(self, obj):
        return listed(self.stories(obj)).prefetch_related("tags").latest_first()[:FEED_LENGTH]

    def item_title(self, article):
        return xml_text(article.headline)

    def item_description(self, article):
        # Readers take a description as HTML; the standfirst is plain text.
        return escape(xml_text(article.standfirst))

    def item_link(self, article):
        return article.absolute_url()

    def item_guid(self, article):
        # A tag URI (RFC 4151) of the site's host, the day the story was
        # created and its id: the same for as long as the story lives, unlike
        # its address. Changing SITE_URL's host makes every entry new to feed
        # readers.
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{article.created_at:%Y-%m-%d}:article:{article.pk}"

    def item_guid_is_permalink(self, article):
        return False  # a tag URI is no address to open

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        # The one place an entry's "updated" time is decided: when the public
        # last saw the story change (Article.last_modified, which the
        # sitemap's lastmod and the page's dateModified also read).
        return article.last_modified

    def item_author_name(self, article):
        names = [xml_text(author.name) for author in article.ordered_authors()]
        return get_text_list(names, "and") or None

    def item_categories(self, article):
        return [xml_text(article.section.name), *(xml_text(tag.name) for tag in article.tags.all())]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return settings.SITE_DESCRIPTION

    def feed_url(self):
        return settings.SITE_URL + reverse("articles:atom_feed")


class SectionFeed(LatestArticlesFeed):
    """One section's newest stories, RSS 2.0; an unknown section is a 404."""

    def get_object(self, request, section):
        return Section.objects.get(slug=section)

    def title(self, section):
        return xml_text(f"{section.name} — {settings.SITE_NAME}")

    def description(self, section):
        return xml_text(section.description or f"The latest {section.name} stories.")

    def link(self, section):
        return settings.SITE_URL + section.get_absolute_url()

    def feed_url(self, section):
        return settings.SITE_URL + reverse("articles:section_feed", args=[section.slug])

    def stories(self, section):
        return Article.objects.published().filter(section=section)


class SectionAtomFeed(SectionFeed):
    """One section's newest stories, Atom."""

    feed_type = Atom1Feed

    def subtitle(self, section):
        return self.description(section)

    def feed_url(self, section):
        return settings.SITE_URL + reverse("articles:section_atom_feed", args=[section.slug])


class CorrectionsFeed(Feed):
    """/corrections/feed/: the newest corrections and clarifications, RSS 2.0
    (issue 18 §1), one entry per note, linking to it on its story's page."""

    def title(self):
        return f"{settings.SITE_NAME}: corrections and clarifications"

    def description(self):
        return f"Every correction and clarification {settings.SITE_NAME} has published."

    def link(self):
        return settings.SITE_URL + reverse("articles:corrections")

    def feed_url(self):
        return settings.SITE_URL + reverse("articles:corrections_feed")

    def items(self):
        return (
            StoryNote.objects.corrections()
            .on_public_stories()
            .select_related("article__section")
            .order_by("-noted_at", "-pk")[:FEED_LENGTH]
        )

    def item_title(self, note):
        return xml_text(f"{note.get_kind_display()}: {note.article.headline}")

    def item_description(self, note):
        return escape(xml_text(note.text))

    def item_link(self, note):
        return f"{note.article.absolute_url()}#note-{note.pk}"

    def author_name(self):
        return settings.SITE_NAME

    def item_guid(self, note):
        # Permanent, as the stories' (LatestArticlesFeed.item_guid): a note
        # keeps its id when its story moves.
        host = urlsplit(settings.SITE_URL).hostname
        return f"tag:{host},{note.created_at:%Y-%m-%d}:note:{note.pk}"

    def item_guid_is_permalink(self, note):
        return False

    def item_pubdate(self, note):
        return note.noted_at

    def item_updateddate(self, note):
        return note.amended_at or note.noted_at
