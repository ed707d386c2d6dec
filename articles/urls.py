"""The public site's addresses (issue 2 §3). Included last in newsroom/urls.py:
`/<section>/` takes any top-level slug not used above it, which is why
models.RESERVED_SECTION_SLUGS keeps sections off the site's own paths."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter

from pagecache import cached_page

from . import feeds, views
from .sitemaps import SITEMAPS, news_sitemap, sitemap_or_index


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

# Anonymous readers' pages come from the page cache (pagecache/): lists of
# stories depend on every story; a story's page on that story alone (its view
# says which), paged by ?cpage= (its responses), personal with ?replyto=.
# Search and previews are never cached.
cached_list = cached_page(query_params=("page",))
cached_feed = cached_page(query_params=())

urlpatterns = [
    path("", cached_list(views.HomeView.as_view()), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("feed/", cached_feed(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", cached_feed(feeds.LatestArticlesAtomFeed()), name="atom_feed"),
    path(
        "sitemap.xml",
        cached_page(sitemap_or_index, query_params=("p",)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_part"},
        name="sitemap",
    ),
    # Google News's, before the parts' pattern that would take its address.
    path("sitemap-news.xml", cached_page(news_sitemap, query_params=()), name="news_sitemap"),
    # Past ArticleSitemap.limit stories /sitemap.xml is an index of these (sitemaps.py).
    path(
        "sitemap-<section>.xml",
        cached_page(sitemap, query_params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap_part",
    ),
    path("corrections/", cached_list(views.CorrectionsView.as_view()), name="corrections"),
    path("corrections/feed/", cached_feed(feeds.CorrectionsFeed()), name="corrections_feed"),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("preview/<int:pk>/<str:token>/", views.SharePreviewView.as_view(), name="share_preview"),
    path("tag/<slug:slug>/", cached_list(views.TagView.as_view()), name="tag"),
    path("author/<slug:slug>/", cached_list(views.AuthorView.as_view()), name="author"),
    path("<slug:section>/", cached_list(views.SectionView.as_view()), name="section"),
    path("<slug:section>/feed/", cached_feed(feeds.SectionFeed()), name="section_feed"),
    path(
        "<slug:section>/feed/atom/",
        cached_feed(feeds.SectionAtomFeed()),
        name="section_atom_feed",
    ),
    path(
        "<slug:section>/<yyyy:year>/<dd:month>/<dd:day>/<slug:slug>/",
        cached_page(
            views.ArticleDetailView.as_view(),
            shows_listings=False,
            query_params=("cpage",),
            personal_params=("replyto",),
        ),
        name="detail",
    ),
]
