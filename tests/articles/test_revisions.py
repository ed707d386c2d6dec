"""A story's revisions in the admin (issue 17 §1): recorded on every save,
listed in History, compared, restored through the models' normal saves,
pruned and purged."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import revisions
from articles.models import Article, Section
from tests.articles.admin_forms import (
    ADD_URL,
    CHANGELIST_URL,
    article_form,
    change_url,
    inline_rows,
    story_as_shown,
)
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    PullQuoteFactory,
    SectionFactory,
    SourceFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MINUTES = "Works: March. “We have waited long enough,” said the harbour master."


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def restore_url(article, revision):
    return reverse("admin:articles_article_restore", args=[article.pk, revision.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def edit(client, article, **fields):
    """Save the story through its change page, as a browser would."""
    response = client.post(change_url(article), story_as_shown(article, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return response


def history(article):
    return list(revisions.revisions_of(article))


@pytest.fixture
def story(editor):
    article = ArticleFactory(
        headline="Harbour wall to be repaired",
        body="<p>The work starts in March.</p><p>The quay will close.</p>",
        authors=[AuthorFactory(name="Ann Reporter")],
        tags=[TagFactory(name="Harbour")],
        created_by=editor,
    )
    source = SourceFactory(article=article, title="Council minutes", quoted_text=MINUTES)
    # Its source's words: the quote passes its check (issue 18 §2), so the
    # story may be published from the form.
    PullQuoteFactory(article=article, text="We have waited long enough.", source=source)
    return article


# --- Recording -------------------------------------------------------------------


def test_an_admin_save_records_who_saved_and_what_changed(editor_client, editor, story):
    edit(editor_client, story, body="<p>The work starts in April.</p><p>The quay will close.</p>")

    revision = history(story)[0]
    assert revision.user == editor
    assert revision.comment == "body"


def test_a_story_from_before_revisions_is_kept_as_it_was_before_its_first_save(
    editor_client, story
):
    edit(editor_client, story, body="<p>The work starts in April.</p>")

    _, baseline = history(story)
    assert baseline.user is None and baseline.comment == "first recorded version"
    kept = revisions.snapshot_of_stored(revisions.stored_story(story.pk, baseline))
    assert kept.fields["body"] == "The work starts in March.\n\nThe quay will close."


def test_a_new_story_records_its_first_revision(editor_client):
    section = SectionFactory()

    editor_client.post(ADD_URL, article_form(section, slug="new-story"))

    [revision] = history(Article.objects.get(slug="new-story"))
    assert revision.comment == "created"


def test_the_summary_counts_the_quotes_that_changed(editor_client, story):
    data = story_as_shown(story)
    data["pull_quotes-0-text"] = "We have waited far too long."
    data.update(inline_rows("pull_quotes", [], initial=0) | {})  # keep the row count as shown
    data["pull_quotes-TOTAL_FORMS"] = "2"
    data.update(
        {
            "pull_quotes-1-text": "It is about time.",
            "pull_quotes-1-speaker": "John Doe",
            "pull_quotes-1-speaker_role": "",
            "pull_quotes-1-source": "",
            "pull_quotes-1-after_paragraph": "2",
        }
    )
    data["pull_quotes-INITIAL_FORMS"] = "1"

    editor_client.post(change_url(story), data)

    assert history(story)[0].comment == "2 pull-quotes"


def test_a_revision_keeps_the_story_with_its_quotes_sources_and_byline(editor_client, story):
    edit(editor_client, story)
    revision = history(story)[0]

    kept = revisions.snapshot_of_stored(revisions.stored_story(story.pk, revision))

    assert kept == revisions.snapshot_of(story)
    assert kept.fields["byline"] == "Ann Reporter"
    assert kept.quotes[0]["text"] == "We have waited long enough."
    assert kept.sources[0]["quoted_text"] == MINUTES


def test_history_lists_the_revisions_newest_first(editor_client, story):
    edit(editor_client, story, headline="Harbour wall repairs delayed")
    edit(editor_client, story, standfirst="A new date is set.")

    page = editor_client.get(history_url(story)).content.decode()

    assert page.index("standfirst") < page.index("headline")
    assert "(current)" in page


def test_revisions_cost_the_story_list_nothing(editor_client, story, django_assert_num_queries):
    editor_client.get(CHANGELIST_URL)  # sessions, content types: warm
    with django_assert_num_queries(len_without := _changelist_queries(editor_client)):
        editor_client.get(CHANGELIST_URL)
    for _ in range(3):
        edit(editor_client, story, standfirst=f"Standfirst {_}.")

    with django_assert_num_queries(len_without):
        editor_client.get(CHANGELIST_URL)


def _changelist_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(CHANGELIST_URL)
    return len(queries)


# --- Comparing -------------------------------------------------------------------


def test_comparing_marks_deleted_and_inserted_words_with_text_not_colour_alone(
    editor_client, story
):
    edit(editor_client, story)
    edit(editor_client, story, body="<p>The work starts in April.</p><p>The quay will close.</p>")
    newer, older = history(story)[:2]

    response = editor_client.get(compare_url(story), {"from": older.pk, "to": newer.pk})

    page = response.content.decode()
    assert '<del><span class="visually-hidden">deleted: </span>March</del>' in page
    assert '<ins><span class="visually-hidden">inserted: </span>April</ins>' in page
    assert "style=" not in page  # the admin's Content-Security-Policy allows no inline style


def test_comparing_lists_other_fields_as_before_and_after(editor_client, story):
    edit(editor_client, story)
    other = SectionFactory(name="Business")
    edit(editor_client, story, section=str(other.pk))
    newer, older = history(story)[:2]

    page = editor_client.get(
        compare_url(story), {"from": older.pk, "to": newer.pk}
    ).content.decode()

    assert "was: " in page and "now: Business" in page


def test_a_revision_of_another_story_is_not_found(editor_client, story):
    other = ArticleFactory()
    edit(editor_client, other)
    foreign = history(other)[0]

    response = editor_client.get(compare_url(story), {"to": foreign.pk})

    assert response.status_code == 404


def test_nonsense_revision_numbers_are_not_found_not_an_error(editor_client, story):
    response = editor_client.get(compare_url(story), {"to": "99999999999999999999999", "from": "x"})

    assert response.status_code == 404


# --- Restoring -------------------------------------------------------------------


def test_restoring_brings_back_text_quotes_sources_and_byline(editor_client, story):
    edit(editor_client, story)
    first = history(story)[0]
    data = story_as_shown(story, body="<p>Rewritten.</p>")
    data["pull_quotes-0-DELETE"] = "on"
    data["sources-0-quoted_text"] = "Changed."
    data["bylines-0-author"] = str(AuthorFactory(name="Bea Other").pk)
    editor_client.post(change_url(story), data)

    response = editor_client.post(restore_url(story, first))

    assert response.status_code == 302
    story.refresh_from_db()
    assert "March" in story.body
    assert [q.text for q in story.pull_quotes.all()] == ["We have waited long enough."]
    assert [s.quoted_text for s in story.sources.all()] == [MINUTES]
    assert story.pull_quotes.get().source == story.sources.get()
    assert [a.name for a in story.ordered_authors()] == ["Ann Reporter"]


def test_a_restore_is_itself_a_revision_saying_what_it_restored(editor_client, story):
    edit(editor_client, story)
    edit(editor_client, story, headline="Harbour wall repairs delayed")
    first = history(story)[-1]

    editor_client.post(restore_url(story, first))

    latest = history(story)[0]
    assert latest.comment.startswith("headline; restored the version of")
    assert len(history(story)) == 4  # the story before the first save, two saves, the restore


def test_the_confirmation_page_says_what_will_change(editor_client, story):
    edit(editor_client, story)
    edit(editor_client, story, headline="Harbour wall repairs delayed")
    first = history(story)[-1]

    page = editor_client.get(restore_url(story, first)).content.decode()

    assert "What will change" in page
    assert '<del><span class="visually-hidden">deleted: </span>repairs delayed</del>' in page
    story.refresh_from_db()
    assert story.headline == "Harbour wall repairs delayed"  # a GET changes nothing


def test_restoring_leaves_the_status_and_time_as_they_are(editor_client, story):
    story.status = Article.Status.DRAFT
    story.save()
    edit(editor_client, story, headline="Draft headline")
    draft_revision = history(story)[0]
    edit(editor_client, story, status="published", headline="Live headline")
    published_at = story.published_at

    editor_client.post(restore_url(story, draft_revision))

    story.refresh_from_db()
    assert story.headline == "Draft headline"
    assert story.status == Article.Status.PUBLISHED
    assert story.published_at == published_at


def test_an_editor_may_choose_to_bring_the_status_back_too(editor_client, story):
    story.status = Article.Status.DRAFT
    story.save()
    edit(editor_client, story)
    draft_revision = history(story)[0]
    edit(editor_client, story, status="published")

    editor_client.post(restore_url(story, draft_revision), {"with_status": "on"})

    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT


def test_restoring_across_a_deleted_section_restores_the_rest_and_says_so(editor_client, story):
    old_section = SectionFactory(name="Harbour news")
    edit(editor_client, story, section=str(old_section.pk))
    in_old_section = history(story)[0]
    new_section = SectionFactory(name="Local")
    edit(editor_client, story, section=str(new_section.pk), headline="Moved and renamed")
    Section.objects.filter(pk=old_section.pk).delete()

    response = editor_client.post(restore_url(story, in_old_section), follow=True)

    story.refresh_from_db()
    assert story.section == new_section
    assert story.headline == "Harbour wall to be repaired"
    shown = [str(message) for message in response.context["messages"]]
    assert any("“Harbour news” has been deleted" in message for message in shown)


def test_restoring_across_a_deleted_tag_and_author_leaves_them_off(editor_client, story):
    edit(editor_client, story)
    first = history(story)[0]
    tag, author = story.tags.get(), story.bylines.get().author
    data = story_as_shown(story, tags=[])
    data["bylines-0-DELETE"] = "on"
    editor_client.post(change_url(story), data)
    tag.delete()
    author.delete()

    page = editor_client.get(restore_url(story, first)).content.decode()
    editor_client.post(restore_url(story, first))

    assert "The tag “Harbour” has been deleted" in page
    assert "The author “Ann Reporter” has been deleted" in page
    story.refresh_from_db()
    assert "March" in story.body and not story.tags.exists() and not story.bylines.exists()


def test_the_author_page_follows_a_restored_byline(client, editor_client, story):
    ann = story.bylines.get().author
    edit(editor_client, story)
    first = history(story)[0]
    bea = AuthorFactory(name="Bea Other")
    data = story_as_shown(story)
    data["bylines-0-author"] = str(bea.pk)
    editor_client.post(change_url(story), data)

    editor_client.post(restore_url(story, first))

    assert story.headline in client.get(ann.get_absolute_url()).content.decode()
    assert story.headline not in client.get(bea.get_absolute_url()).content.decode()
    byline = story.bylines.get()
    assert (byline.story_status, byline.story_published_at) == (story.status, story.published_at)


def test_a_restore_that_would_take_another_storys_address_changes_nothing(editor_client, story):
    edit(editor_client, story)
    first = history(story)[0]
    edit(editor_client, story, status="draft", headline="Back to draft")
    ArticleFactory(slug=story.slug, published_at=story.published_at, section=story.section)

    response = editor_client.post(restore_url(story, first), {"with_status": "on"})

    assert response.status_code == 200
    assert "Nothing was restored" in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Back to draft"


# --- Who may do what -------------------------------------------------------------


def test_a_writer_restores_their_own_draft(writer_client, writer):
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=writer, headline="First")
    edit(writer_client, article)
    first = history(article)[0]
    edit(writer_client, article, headline="Second")

    writer_client.post(restore_url(article, first))

    article.refresh_from_db()
    assert article.headline == "First"


def test_a_writer_may_not_restore_someone_elses_story(editor_client, writer, story):
    story.status = Article.Status.DRAFT
    story.save()
    edit(editor_client, story)
    edit(editor_client, story, headline="Edited by the editor")
    first = history(story)[-1]
    writer_client = Client()
    writer_client.force_login(writer)

    page = writer_client.get(history_url(story))
    response = writer_client.post(restore_url(story, first))

    assert page.status_code == 200 and "Restore this version" not in page.content.decode()
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline == "Edited by the editor"


def test_a_story_from_before_revisions_has_no_owner_so_only_editors_restore_it(writer_client):
    article = ArticleFactory(status=Article.Status.DRAFT, created_by=None)
    revisions.record_revision(article, by=None, summary="first recorded version")

    response = writer_client.post(restore_url(article, history(article)[0]))

    assert response.status_code == 403


def test_a_writer_sees_no_history_of_a_published_story(writer_client, story):
    response = writer_client.get(history_url(story))

    assert response.status_code == 403


# --- Pruning and purging ---------------------------------------------------------


def test_revisions_keep_prunes_the_oldest(editor_client, story, settings):
    settings.REVISIONS_KEEP = 2
    for number in range(4):
        edit(editor_client, story, standfirst=f"Version {number}.")

    assert [revision.comment for revision in history(story)] == ["standfirst", "standfirst"]
    kept = revisions.snapshot_of_stored(revisions.stored_story(story.pk, history(story)[-1]))
    assert kept.fields["standfirst"] == "Version 2."


def test_a_superuser_purges_a_storys_history_after_confirming(client, editor_client, story):
    edit(editor_client, story, body="<p>Words a court ordered removed.</p>")
    edit(editor_client, story, body="<p>The work starts in March.</p>")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    purge_url = reverse("admin:articles_article_purge_history", args=[story.pk])

    confirmation = client.get(purge_url)
    client.post(purge_url)

    assert "This cannot be undone" in confirmation.content.decode()
    [left] = history(story)
    assert left.comment.startswith("history purged")
    kept = revisions.snapshot_of_stored(revisions.stored_story(story.pk, left))
    assert "court" not in kept.fields["body"]


def test_an_editor_may_not_purge_a_history(editor_client, story):
    edit(editor_client, story)

    response = editor_client.post(reverse("admin:articles_article_purge_history", args=[story.pk]))

    assert response.status_code == 403
    assert len(history(story)) == 2
