"""The public site: thin generic views over `Article.objects.published()`.

Lists are paginated by settings.ARTICLES_PER_PAGE, and go back at most
MAX_LIST_PAGES pages (issue 6): a list of 100,000 stories is not counted, and
no page makes the database skip tens of thousands of rows. Readers reach older
stories through search, a story's tags and authors, and crawlers through the
sitemap; the last page says so. A page number that is not a page (`?page=abc`,
`?page=0`, `?page=99999`, past the bound) is a 404, as Django's
MultipleObjectMixin decides; it is never a 500.
"""

import datetime

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

import pagecache
from core.numbers import parse_number

from .models import Article, Author, Section, ShareLink, StoryNote, Tag, published_filter
from .pagination import CappedCountPaginator
from .publishing import record_share_link_use
from .queries import is_story_at, published_story
from .search import clean_query, search_articles

# How far back a list of stories goes: 100 pages of 12 is 1,200 stories, about
# seven weeks of the home page at 25 stories a day, years of most tags.
MAX_LIST_PAGES = 100
# How many pages past the one asked for are counted ("Page 1 of 10+"): a tag
# of 1,250 stories cost 31 ms to count to the bound, 10 pages about 3 ms.
COUNTED_PAGES_AHEAD = 9


def listed(queryset):
    """A list of stories as cards show them: no body, fixed query count."""
    return queryset.for_listing().defer("body")


class CappedListView(ListView):
    """A paginated list, newest first, that goes back MAX_LIST_PAGES at most."""

    def get_paginate_by(self, queryset):
        # Read per request, so a settings override (tests, a deployment) applies.
        return settings.ARTICLES_PER_PAGE

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        # Counts a few pages past this one, never past MAX_LIST_PAGES (a LIMIT
        # inside the COUNT), so neither the count nor the deepest OFFSET grows
        # with the archive.
        pages = min(MAX_LIST_PAGES, self.requested_page() + COUNTED_PAGES_AHEAD)
        return CappedCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            max_count=pages * per_page,
            **kwargs,
        )

    def requested_page(self):
        """The ?page= asked for, or 1; a page that is no number is the
        paginator's to refuse (a 404)."""
        page = parse_number(self.request.GET.get(self.page_kwarg), max_digits=5)
        return page or 1

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        # The first page is the canonical address of a list; later pages are their own.
        context["canonical_url"] = settings.SITE_URL + self.request.path
        if page and page.number > 1:
            context["canonical_url"] += f"?page={page.number}"
        return context


class StoryListView(CappedListView):
    """A paginated list of published stories, newest first."""

    context_object_name = "articles"

    def stories(self):
        """The published stories this page lists (subclasses narrow it)."""
        return Article.objects.published()

    def get_queryset(self):
        return listed(self.stories()).latest_first()


class CorrectionsView(CappedListView):
    """/corrections/: every correction and clarification on a public story,
    newest first (issue 18 §1), with its story's headline and address."""

    template_name = "articles/corrections.html"
    context_object_name = "notes"

    def get_queryset(self):
        return (
            StoryNote.objects.corrections()
            .on_public_stories()
            .select_related("article__section")
            .only(
                "kind",
                "text",
                "noted_at",
                "amended_at",
                "article__headline",
                "article__slug",
                "article__published_at",
                "article__section__slug",
            )
            .order_by("-noted_at", "-pk")
        )


class HomeView(StoryListView):
    """The lead story (the newest one flagged as lead, else the latest), then
    the latest stories, without the lead."""

    template_name = "articles/home.html"

    def get(self, request, *args, **kwargs):
        self.lead = self.lead_story()
        return super().get(request, *args, **kwargs)

    def lead_story(self):
        # Two LIMIT 1 queries walking the (status, -published_at) index
        # newest-first, rather than one ORDER BY is_lead that no index serves
        # and that sorts every published story (docs/performance.md).
        stories = listed(Article.objects.published()).latest_first()
        return stories.filter(is_lead=True).first() or stories.first()

    def stories(self):
        stories = super().stories()
        return stories.exclude(pk=self.lead.pk) if self.lead else stories

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The lead heads the first page only.
        context["lead"] = self.lead if context["page_obj"].number == 1 else None
        return context


class StoriesAboutView(StoryListView):
    """The published stories of one section, tag or author; an unknown one is a 404.

    Subclasses say which model, which URL keyword holds its slug, and which
    lookup ties a story to it. The template gets it under the model's name
    (`section`, `tag`, `author`).
    """

    subject_model = None
    slug_url_kwarg = "slug"
    story_lookup = None

    def get(self, request, *args, **kwargs):
        self.subject = get_object_or_404(self.subject_model, slug=kwargs[self.slug_url_kwarg])
        return super().get(request, *args, **kwargs)

    def stories(self):
        return super().stories().filter(**{self.story_lookup: self.subject})

    def get_context_data(self, **kwargs):
        kwargs[self.subject_model._meta.model_name] = self.subject
        return super().get_context_data(**kwargs)


class SectionView(StoriesAboutView):
    template_name = "articles/section.html"
    subject_model = Section
    slug_url_kwarg = "section"
    story_lookup = "section"


class TagView(StoriesAboutView):
    template_name = "articles/tag.html"
    subject_model = Tag
    story_lookup = "tags"


class AuthorView(StoriesAboutView):
    """Every published story the author wrote or co-wrote.

    Found and ordered by the bylines' copies of each story's status and time
    (`Byline`), down `byline_author_pub_idx`: 12 index entries for a page,
    however long ago the author last wrote, rather than a walk down every
    newest story until 12 are the author's (docs/performance.md).
    """

    template_name = "articles/author.html"
    subject_model = Author

    def stories(self):
        # One filter() call: the conditions all apply to the same byline row,
        # the visibility rule to its copies of the story's status and time.
        return (
            super(StoriesAboutView, self)
            .stories()
            .filter(published_filter(prefix="bylines__story_"), bylines__author=self.subject)
        )

    def get_queryset(self):
        # The byline's copy of the story's time orders the list (same values).
        return listed(self.stories()).order_by(
            "-bylines__story_published_at", "-bylines__article_id"
        )


class SearchView(StoryListView):
    """`/search/?q=`: see articles/search.py for how stories are matched and ranked."""

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        self.query = clean_query(request.GET.get("q", ""))
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Ranked by relevance: search_articles orders them.
        return listed(search_articles(self.query))

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


def local_day_bounds(year, month, day):
    """The UTC instants where a day in settings.TIME_ZONE starts and ends.

    An article's address carries the local date of its publication; a range
    (rather than `__date`) lets the database use the published_at index.
    """
    try:
        date = datetime.date(year, month, day)
        next_date = date + datetime.timedelta(days=1)
    except (ValueError, OverflowError) as error:  # /news/2024/13/45/..., /news/9999/12/31/...
        raise Http404("No such date.") from error
    tz = timezone.get_current_timezone()
    return tuple(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), tz)
        for day in (date, next_date)
    )


class ArticleDetailView(DetailView):
    """A published story at /<section>/<yyyy>/<mm>/<dd>/<slug>/.

    Only the story's row (and section) is fetched here: its bylines, tags,
    quotes and sources are fetched by the parts of the page that show them,
    when those are not in the fragment cache (`{% storypart %}`)."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_object(self, queryset=None):
        slug = self.kwargs["slug"]
        start, end = local_day_bounds(self.kwargs["year"], self.kwargs["month"], self.kwargs["day"])

        def fetch():
            story = published_story(slug, start, end, timezone.now())
            if story is None:
                raise Http404("No such story.")
            return story

        def answers(article):
            # What fetch() asks of the database, asked of a cached row.
            return is_story_at(article, slug, start, end)

        story_address = (self.kwargs["section"], start, slug)
        return pagecache.cached_story(story_address, fetch, answers)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        hero = self.object.hero_cache_key
        pagecache.page_shows_article(request, self.object.pk, also=[hero] if hero else [])
        if self.object.section.slug != kwargs["section"]:
            # The story moved section: its old address still leads to it.
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_story(self.object)

    def render_story(self, article, *, status=200, **extra_context):
        """The story's page for `article` (its row with its section), with
        `extra_context` for the template, answered with `status`."""
        self.object = article
        context = self.get_context_data(
            object=article, canonical_url=article.absolute_url(), **extra_context
        )
        return self.render_to_response(context, status=status)


def render_story_page(request, article, *, status=200, **extra_context):
    """A story's public page as its own view draws it, for another view that
    answers with it: `comments` shows a refused response under the story
    this way (its form in `comment_form`, status 422, 429 or 403)."""
    view = ArticleDetailView()
    view.setup(request)
    return view.render_story(article, status=status, **extra_context)


class PreviewView(DetailView):
    """Any story, drafts included, as it will look, for staff who may view
    stories. Never cached, never indexed; everyone else gets a plain 404.

    Not a redirect to the sign-in page for anonymous visitors: that would
    hand anyone the admin's address, which ADMIN_URL may be keeping quiet
    (issue 15 §10). Staff open previews from the admin, already signed in.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"
    queryset = Article.objects.for_article_page()

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_staff and user.has_perm("articles.view_article")):
            # Not "forbidden": that a story with this number exists is not public.
            raise Http404("No such story.")
        response = super().dispatch(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(is_preview=True, **kwargs)


class SharePreviewView(View):
    """/preview/<id>/<token>/: a story not yet public, for anyone holding a
    preview link an editor made (a source, the lawyer, a freelancer): as it
    will look, with the preview banner and no response form, never cached,
    indexed or leaked by a Referer. A link that is expired, revoked, forged
    or for another story gets a 404 that reveals nothing of the story; once
    the story is public, the link leads to its public address."""

    def get(self, request, pk, token):
        link = ShareLink.objects.for_token(pk, token)
        if link is None:
            response = render(request, "articles/share_invalid.html", status=404)
        elif link.article.is_public:
            response = redirect(link.article.get_absolute_url())
        else:
            record_share_link_use(link)
            story = link.article
            response = render(
                request,
                "articles/article_detail.html",
                {"article": story, "object": story, "is_preview": True},
            )
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
        return response


class RobotsView(TemplateView):
    """/robots.txt: the sitemap, and what crawlers should leave alone.

    The admin is listed only at its well-known default address: a custom
    ADMIN_URL is kept out of this public file, which would otherwise hand it
    to every scanner (the admin's pages tell robots "noindex" themselves).
    """

    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        default_admin = settings.ADMIN_URL == "admin/"
        return super().get_context_data(admin_path="/admin/" if default_admin else None, **kwargs)
