"""sitemap.xml (django.contrib.sitemaps): the home page, every section and
every published story, on the public address settings.SITE_URL.

The stories' part holds at most `ArticleSitemap.limit` addresses a file (the
protocol allows 50,000). While every story fits in one file, /sitemap.xml is
that file; past that (issue 6: 100,000 stories) it is a sitemap index pointing
at /sitemap-<part>.xml?p=N, so no request renders the whole archive.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.urls import reverse

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


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}


def sitemap_or_index(request, sitemaps, sitemap_url_name):
    """/sitemap.xml: the sitemap itself while the stories fit in one file,
    else an index of the parts' pages (sitemap_url_name: the parts' address)."""
    if ArticleSitemap().fits_in_one_file():
        return sitemap_views.sitemap(request, sitemaps)
    return sitemap_index(request, sitemaps, sitemap_url_name)


def sitemap_index(request, sitemaps, sitemap_url_name):
    """Django's sitemap index, but on settings.SITE_URL like the sitemaps
    themselves (Django's `index` view names the request's host)."""
    pages = []
    for part, sitemap_class in sitemaps.items():
        url = settings.SITE_URL + reverse(sitemap_url_name, kwargs={"section": part})
        for page in sitemap_class().paginator.page_range:
            pages.append(sitemap_views.SitemapIndexItem(url + (f"?p={page}" if page > 1 else "")))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": pages}, content_type="application/xml"
    )
