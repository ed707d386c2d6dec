"""articles/admin.py as an editor uses it: the list, the form, its inlines and
the publishing actions (permissions for writers: test_permissions.py)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, Byline, PullQuote
from tests.articles.admin_forms import (
    ADD_URL,
    CHANGELIST_URL,
    article_form,
    change_url,
    inline_rows,
    png_upload,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# 18:00 in London in winter is 18:00 UTC.
NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _action(client, action, articles):
    return client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [str(article.pk) for article in articles]},
        follow=True,
    )


def _errors(response):
    """The form's and inlines' errors, for an assertion message."""
    inlines = [inline.formset.errors for inline in response.context["inline_admin_formsets"]]
    return response.context["adminform"].form.errors, inlines


# --- The list -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "published_at", "shown"),
    [
        ("draft", None, "Draft"),
        ("review", None, "In review"),
        ("published", NOW - datetime.timedelta(hours=1), "Live"),
        (
            "published",
            datetime.datetime(2026, 11, 27, 18, 0, tzinfo=datetime.UTC),
            "Scheduled (27 Nov 2026, 18:00)",
        ),
    ],
)
def test_the_list_shows_each_storys_state(frozen, editor_client, status, published_at, shown):
    ArticleFactory(status=status, published_at=published_at)

    response = editor_client.get(CHANGELIST_URL)

    assert f'<td class="field-state">{shown}</td>' in response.text


def test_scheduled_time_is_shown_in_the_sites_time_zone(editor_client, settings):
    settings.TIME_ZONE = "Europe/London"
    summer = datetime.datetime(2026, 7, 1, 12, 0, tzinfo=datetime.UTC)
    ArticleFactory(published_at=summer + datetime.timedelta(hours=5))

    with time_machine.travel(summer, tick=False):
        response = editor_client.get(CHANGELIST_URL)

    assert "Scheduled (1 Jul 2026, 18:00)" in response.text


def test_the_list_shows_co_authors_in_byline_order(editor_client):
    ArticleFactory(authors=[AuthorFactory(name="Zoe Zimmer"), AuthorFactory(name="Adam Abbot")])

    response = editor_client.get(CHANGELIST_URL)

    assert "Zoe Zimmer, Adam Abbot" in response.text


def test_the_list_has_a_responses_column(editor_client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(comment_count=7)

    response = editor_client.get(CHANGELIST_URL)

    assert "Responses" in response.text
    assert '<td class="field-responses">7</td>' in response.text


def test_the_list_costs_the_same_queries_for_many_stories(
    editor_client, django_assert_max_num_queries
):
    authors = AuthorFactory.create_batch(3)
    for _ in range(30):
        ArticleFactory(authors=authors, tags=[TagFactory()])

    # Session, user, groups' permissions, count, filters' choices, rows, bylines.
    with django_assert_max_num_queries(14):
        response = editor_client.get(CHANGELIST_URL)

    assert response.status_code == 200


def test_the_list_never_counts_the_whole_table(editor_client, monkeypatch):
    # 100,000 stories: counts stop at ArticleAdmin.max_count (articles/pagination.py).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.admin import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "max_count", 3)
    ArticleFactory.create_batch(5)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(CHANGELIST_URL)

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql for sql in counts)
    assert "more than 3 articles" in response.text


def test_the_state_filter_separates_scheduled_from_live(frozen, editor_client):
    ArticleFactory(headline="Already out")
    ArticleFactory(headline="Out tomorrow", published_at=NOW + datetime.timedelta(days=1))

    response = editor_client.get(CHANGELIST_URL, {"state": "scheduled"})

    assert "Out tomorrow" in response.text
    assert "Already out" not in response.text


def test_search_finds_a_story_by_its_authors_name(editor_client):
    ArticleFactory(headline="Ferry timetable changes", authors=[AuthorFactory(name="Mina Osei")])
    ArticleFactory(headline="Unrelated story")

    response = editor_client.get(CHANGELIST_URL, {"q": "Osei"})

    assert "Ferry timetable changes" in response.text
    assert "Unrelated story" not in response.text


def test_the_list_links_each_story_to_its_preview(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(CHANGELIST_URL)

    assert f'href="{reverse("articles:preview", args=[article.pk])}"' in response.text


# --- The form -----------------------------------------------------------------


def test_an_editor_adds_a_story_with_its_byline_sources_and_quotes(editor_client, editor):
    section = SectionFactory()
    first, second = AuthorFactory(), AuthorFactory()
    data = article_form(
        section,
        **inline_rows(
            "bylines",
            [{"author": first.pk, "order": 0}, {"author": second.pk, "order": 1}],
        ),
        **inline_rows(
            "sources",
            [{"title": "Minutes", "kind": "document", "url": "https://example.org/m", "order": 0}],
        ),
        **inline_rows(
            "pull_quotes",
            [{"text": "We will rebuild it.", "speaker": "Ann Lee", "after_paragraph": 1}],
        ),
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302, _errors(response)
    article = Article.objects.get()
    assert article.ordered_authors() == [first, second]
    assert article.sources.get().title == "Minutes"
    assert article.pull_quotes.get().speaker == "Ann Lee"
    assert article.created_by == editor


def test_the_story_form_loads_the_script_naming_the_body_editor_by_its_label(editor_client):
    # The naming itself happens in the browser (static/articles/prose-editor-name.js):
    # here, that the page loads it and has the label it names the editor by.
    html = editor_client.get(ADD_URL).content.decode()
    assert 'src="/static/articles/prose-editor-name.js"' in html
    assert 'for="id_body">Body:</label>' in html


def test_a_new_story_records_who_created_it(editor_client, editor):
    editor_client.post(ADD_URL, article_form(SectionFactory()))

    assert Article.objects.get().created_by == editor


def test_published_with_no_time_goes_live_now(frozen, editor_client):
    editor_client.post(ADD_URL, article_form(SectionFactory(), status="published"))

    article = Article.objects.get()
    assert article.published_at == NOW
    assert article.is_public


def test_published_with_a_future_time_is_scheduled(frozen, editor_client):
    later = NOW + datetime.timedelta(days=1)

    editor_client.post(
        ADD_URL, article_form(SectionFactory(), status="published", published_at=later)
    )

    assert Article.objects.get().state == "Scheduled"


def test_a_slug_already_used_that_day_is_refused_on_the_slug_field(frozen, editor_client):
    ArticleFactory(headline="The first story", slug="harbour-wall-repairs")

    response = editor_client.post(
        ADD_URL, article_form(SectionFactory(), status="published", published_at=NOW)
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "The first story" in errors["slug"][0]
    assert Article.objects.count() == 1


def test_the_publication_day_is_the_local_day(editor_client, settings):
    settings.TIME_ZONE = "Europe/London"
    # 23:30 UTC on 1 July is 00:30 on 2 July in London.
    ArticleFactory(
        slug="harbour-wall-repairs",
        published_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),
    )
    same_local_day = datetime.datetime(2026, 7, 2, 10, 0, tzinfo=datetime.UTC)

    response = editor_client.post(
        ADD_URL, article_form(SectionFactory(), status="published", published_at=same_local_day)
    )

    assert "slug" in response.context["adminform"].form.errors


def test_the_same_slug_on_another_local_day_is_fine(editor_client, settings):
    settings.TIME_ZONE = "Europe/London"
    ArticleFactory(
        slug="harbour-wall-repairs",
        published_at=datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC),
    )
    # 22:00 UTC on 1 July is still 1 July in London.
    previous_local_day = datetime.datetime(2026, 7, 1, 22, 0, tzinfo=datetime.UTC)

    response = editor_client.post(
        ADD_URL,
        article_form(SectionFactory(), status="published", published_at=previous_local_day),
    )

    assert response.status_code == 302
    assert Article.objects.filter(slug="harbour-wall-repairs").count() == 2


def test_a_hero_image_without_alt_text_is_refused(editor_client):
    data = article_form(SectionFactory(), hero_image=png_upload(), hero_alt="  ")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "alt text" in response.context["adminform"].form.errors["hero_alt"][0]
    assert not Article.objects.exists()


def test_a_hero_image_with_alt_text_is_saved(editor_client):
    data = article_form(SectionFactory(), hero_image=png_upload(), hero_alt="A grey harbour wall")

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 302
    assert Article.objects.get().hero_image


def test_a_bad_inline_row_saves_nothing(editor_client):
    data = article_form(
        SectionFactory(),
        **inline_rows("pull_quotes", [{"text": "", "speaker": "Ann Lee", "after_paragraph": 1}]),
    )

    response = editor_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert not Article.objects.exists()
    assert not PullQuote.objects.exists()


def test_a_pull_quote_may_cite_only_this_storys_sources(editor_client):
    article = ArticleFactory()
    own = SourceFactory(article=article, title="Our own source")
    foreign = SourceFactory(title="Another story's source")
    data = article_form(
        article.section,
        headline=article.headline,
        slug=article.slug,
        status="published",
        published_at=article.published_at,
        **inline_rows(
            "sources",
            [
                {
                    "id": own.pk,
                    "article": article.pk,
                    "title": own.title,
                    "kind": own.kind,
                    "order": 0,
                }
            ],
            initial=1,
        ),
        **inline_rows(
            "pull_quotes",
            [{"text": "Words.", "speaker": "Ann Lee", "source": foreign.pk, "after_paragraph": 1}],
        ),
    )

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    quote_errors = response.context["inline_admin_formsets"][2].formset.errors
    assert list(quote_errors[0]) == ["source"]
    assert not PullQuote.objects.exists()
    choices = response.context["inline_admin_formsets"][2].formset.forms[0].fields["source"]
    assert list(choices.queryset) == [own]


def test_the_change_form_links_to_the_preview(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(change_url(article))

    assert f'href="{reverse("articles:preview", args=[article.pk])}"' in response.text


def test_view_on_site_is_offered_for_a_live_story(editor_client):
    response = editor_client.get(change_url(ArticleFactory()))

    assert "View on site" in response.text


def test_view_on_site_is_not_offered_for_a_draft(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = editor_client.get(change_url(draft))

    assert "View on site" not in response.text


def test_every_field_an_editor_types_in_has_help_text(editor_client):
    response = editor_client.get(ADD_URL)

    form = response.context["adminform"].form
    typed = [
        name
        for name, field in form.fields.items()
        if not field.disabled and not field.widget.is_hidden
    ]
    assert [name for name in typed if not form.fields[name].help_text] == []
    for inline in response.context["inline_admin_formsets"]:
        fields = inline.formset.empty_form.fields
        missing = [
            name
            for name, field in fields.items()
            if name not in {"id", "article", "DELETE"} and not field.help_text
        ]
        assert missing == [], inline.formset.prefix


def test_section_autocomplete_finds_sections_by_name(editor_client):
    SectionFactory(name="Politics", slug="politics")
    SectionFactory(name="Sport", slug="sport")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "section", "term": "pol"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Politics"]


def test_the_admin_is_called_newsroom(editor_client):
    response = editor_client.get(reverse("admin:index"))

    assert "<title>Newsroom administration | Newsroom</title>" in response.text
    assert ">Newsroom</a>" in response.text


def test_admin_pages_are_private_and_never_stored(editor_client):
    response = editor_client.get(CHANGELIST_URL)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


# --- Actions ------------------------------------------------------------------


def test_publish_now_makes_drafts_live(frozen, editor_client):
    drafts = ArticleFactory.create_batch(2, status=Article.Status.DRAFT, published_at=None)

    response = _action(editor_client, "publish_now", drafts)

    assert Article.objects.published().count() == 2
    assert "2 stories published" in response.text


def test_publish_now_schedules_a_draft_with_a_future_time(frozen, editor_client):
    later = NOW + datetime.timedelta(hours=4)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=later)

    response = _action(editor_client, "publish_now", [draft])

    draft.refresh_from_db()
    assert draft.state == "Scheduled"
    assert draft.published_at == later
    assert "1 story scheduled" in response.text


def test_publish_now_leaves_an_already_scheduled_story_alone(frozen, editor_client):
    later = NOW + datetime.timedelta(days=1)
    scheduled = ArticleFactory(published_at=later)

    response = _action(editor_client, "publish_now", [scheduled])

    scheduled.refresh_from_db()
    assert scheduled.published_at == later
    assert "already scheduled for 28 Nov 2026, 12:00" in response.text


def test_publish_now_reports_a_slug_clash_and_publishes_the_rest(frozen, editor_client):
    ArticleFactory(slug="budget", headline="Live budget story")
    clashing = ArticleFactory(slug="budget", status=Article.Status.DRAFT, published_at=None)
    fine = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = _action(editor_client, "publish_now", [clashing, fine])

    clashing.refresh_from_db()
    fine.refresh_from_db()
    assert clashing.status == Article.Status.DRAFT
    assert fine.is_public
    assert "Live budget story" in response.text


def test_unpublish_takes_stories_back_to_draft(editor_client):
    live = ArticleFactory()

    response = _action(editor_client, "unpublish", [live])

    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT
    assert "1 story unpublished" in response.text


def test_submit_for_review_moves_drafts_only(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    live = ArticleFactory()

    _action(editor_client, "send_for_review", [draft, live])

    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Article.Status.REVIEW, Article.Status.PUBLISHED)


# --- Sections, authors, tags ----------------------------------------------------


@pytest.mark.parametrize("model", ["section", "author", "tag"])
def test_editors_manage_sections_authors_and_tags(editor_client, model):
    response = editor_client.get(reverse(f"admin:articles_{model}_add"))

    assert response.status_code == 200
    assert "&quot;#id_slug&quot;" in response.text  # the slug fills itself from the name


def test_a_superuser_sees_the_story_list(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get(CHANGELIST_URL).status_code == 200


def test_deleting_a_story_deletes_its_byline_rows(editor_client):
    article = ArticleFactory(authors=[AuthorFactory()])

    editor_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})

    assert not Article.objects.exists()
    assert not Byline.objects.exists()
