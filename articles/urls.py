"""The public site's addresses (issue 2 §3). Included last in newsroom/urls.py:
`/<section>/` takes any top-level slug not used above it, which is why
models.RESERVED_SECTION_SLUGS keeps sections off the site's own paths."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from . import feeds, views
from .sitemaps import SITEMAPS


class ZeroPaddedNumber:
    """A number written with a fixed count of digits: /2024/05/01/."""

    regex = "[0-9]{2}"
    digits = 2

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):0{self.digits}d}"


class FourDigitYear(ZeroPaddedNumber):
    regex = "[0-9]{4}"
    digits = 4


register_converter(FourDigitYear, "yyyy")
register_converter(ZeroPaddedNumber, "dd")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="atom_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:section>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/feed/", feeds.SectionFeed(), name="section_feed"),
    path(
        "<slug:section>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
