"""sitemap.xml (django.contrib.sitemaps): the home page, every section and
every published story, on the public address settings.SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from .models import Article, Section


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
        # lastmod: the section's newest story.
        return Section.objects.annotate(
            newest=Max(
                "articles__published_at",
                filter=Q(articles__in=Article.objects.published()),
            )
        ).order_by("order", "name")

    def lastmod(self, section):
        return section.newest


class ArticleSitemap(PublicSiteSitemap):
    def items(self):
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "section__slug")
            .latest_first()
        )

    def lastmod(self, article):
        return article.last_modified


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}
