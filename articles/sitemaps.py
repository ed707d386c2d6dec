"""sitemap.xml (django.contrib.sitemaps): the home page, every section and
every published story, on the public address settings.SITE_URL.

The stories' part holds at most `ArticleSitemap.limit` addresses a file (the
protocol allows 50,000). While every story fits in one file, /sitemap.xml is
that file; past that (issue 6: 100,000 stories) it is a sitemap index pointing
at /sitemap-<part>.xml?p=N, so no request renders the whole archive.

/sitemap-news.xml is Google News's sitemap (issue 18 §4): the stories of the
last two days, in its own format (`NewsSitemap`, templates/sitemap_news.xml),
listed in robots.txt and in the index.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

import pagecache

from .feeds import xml_text
from .models import Article, Section
from .pagination import DeferredJoinPaginator


class PublicSiteSitemap(Sitemap):
    """Locations on settings.SITE_URL rather than the request's host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class HomeSitemap(PublicSiteSitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)


class SectionSitemap(PublicSiteSitemap):
    changefreq = "hourly"

    def items(self):
        # lastmod: the section's newest story, one step down the
        # (section, status, -published_at) index each rather than a MAX over
        # every story joined to its section.
        newest = (
            Article.objects.published()
            .filter(section=OuterRef("pk"))
            .order_by("-published_at")
            .values("published_at")[:1]
        )
        return Section.objects.annotate(newest=Subquery(newest)).order_by("order", "name")

    def lastmod(self, section):
        return section.newest


class ArticleSitemap(PublicSiteSitemap):
    # 1,000 a file, as Yoast SEO and Google News sitemaps do (WordPress core:
    # 2,000), not the protocol's 50,000: a file of 50,000 took 5.2 s to render
    # cold at 100,000 stories, a file of 1,000 about what the whole sitemap of
    # a 1,000-story site takes (docs/performance.md).
    limit = 1_000

    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "section__slug")
            .latest_first()
        )

    def lastmod(self, article):
        return article.last_modified

    @property
    def paginator(self):
        # A file deep in the index is OFFSET tens of thousands: paged by id.
        return DeferredJoinPaginator(self._items(), self.limit)

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every story (100,000 rows) for
        # the index; each page's own Last-Modified comes from its stories.
        return None

    def fits_in_one_file(self):
        """Whether every published story fits in one sitemap file; counts at
        most `limit` + 1 rows, not the archive."""
        stories = Article.objects.published().order_by()  # no order: an index-only count
        return stories[: self.limit + 1].count() <= self.limit


class NewsSitemap(PublicSiteSitemap):
    """Google News's sitemap: the stories published in the last `window`,
    newest first, at most `limit` (its rules: at most 1,000 addresses, only
    the last two days), each with the publication's name and language, its
    time and its headline (`news()`).
    https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap
    """

    window = datetime.timedelta(hours=48)
    limit = 1_000

    def items(self):
        now = timezone.now()
        return (
            Article.objects.published(at=now)
            .filter(published_at__gt=now - self.window)
            .select_related("section")
            .only("slug", "headline", "published_at", "section__slug")
            .latest_first()[: self.limit]
        )

    def news(self, article):
        """What its <news:news> element says (templates/sitemap_news.xml)."""
        return {
            "name": xml_text(settings.SITE_NAME),
            "language": news_language(settings.LANGUAGE_CODE),
            # W3C Datetime to the second, in the site's time zone, as on the page.
            "publication_date": timezone.localtime(article.published_at).isoformat("T", "seconds"),
            "title": xml_text(article.headline),
        }

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["news"] = self.news(url["item"])
        return urls


def news_language(language_code):
    """LANGUAGE_CODE as Google News wants it: the ISO 639 code alone
    ("en-gb" is "en"), except Chinese, which it wants as "zh-cn" (Simplified)
    or "zh-tw" (Traditional)."""
    language, *subtags = language_code.lower().replace("_", "-").split("-")
    if language == "zh":
        traditional = {"hant", "tw", "hk", "mo"}
        return "zh-tw" if traditional.intersection(subtags) else "zh-cn"
    return language


def news_sitemap(request):
    """/sitemap-news.xml: one file (NewsSitemap.limit is Google's own cap).
    Its cached copy lasts no longer than the oldest story it lists has left
    in the window."""
    sitemap = NewsSitemap()
    urls = sitemap.get_urls()
    if urls:
        oldest = min(url["item"].published_at for url in urls)
        pagecache.page_expires_at(request, oldest + sitemap.window)
    return TemplateResponse(
        request, "sitemap_news.xml", {"urlset": urls}, content_type="application/xml"
    )


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}


def sitemap_or_index(request, sitemaps, sitemap_url_name):
    """/sitemap.xml: the sitemap itself while the stories fit in one file,
    else an index of the parts' pages (sitemap_url_name: the parts' address)."""
    if ArticleSitemap().fits_in_one_file():
        return sitemap_views.sitemap(request, sitemaps)
    return sitemap_index(request, sitemaps, sitemap_url_name)


def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index, but on settings.SITE_URL like the sitemaps
    themselves (Django's `index` view names the request's host), with the
    news sitemap last (always one file: no count)."""
    pages = []
    for part, sitemap_class in sitemaps.items():
        url = settings.SITE_URL + reverse(sitemap_url_name, kwargs={"section": part})
        for page in sitemap_class().paginator.page_range:
            pages.append(sitemap_views.SitemapIndexItem(url + (f"?p={page}" if page > 1 else "")))
    pages.append(
        sitemap_views.SitemapIndexItem(settings.SITE_URL + reverse("articles:news_sitemap"))
    )
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": pages}, content_type="application/xml"
    )
