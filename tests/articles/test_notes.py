"""Notes on a story (issue 18 §1): corrections, clarifications, updates and
editor's notes, added by editors in the admin, shown to readers where they
belong, never silently changed, listed on /corrections/ and in its feed, and
told to machines (JSON-LD)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import revisions
from articles.models import Article, Section, StoryNote, iso_datetime
from articles.queries import page_relations
from tests.articles.admin_forms import change_url, inline_rows, story_as_shown
from tests.articles.conftest import parse_xml
from tests.conftest import NOW
from tests.factories import ArticleFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

CORRECTIONS_URL = reverse("articles:corrections")
CORRECTIONS_FEED_URL = reverse("articles:corrections_feed")


@pytest.fixture
def story():
    article = ArticleFactory(
        headline="Harbour wall to be repaired",
        body="<p>The work starts in March.</p><p>The quay will close.</p>",
    )
    SourceFactory(article=article, title="Council minutes")
    return article


def note(article, kind=StoryNote.Kind.CORRECTION, text="The work starts in April.", **fields):
    return StoryNote.objects.create(article=article, kind=kind, text=text, **fields)


def with_new_note(article, **row):
    """The story's change form with one note row added."""
    data = story_as_shown(article)
    rows = [
        {"kind": "correction", "text": "", "noted_at_0": "", "noted_at_1": "", **row},
    ]
    existing = article.notes.count()
    data.update(inline_rows("notes", [{} for _ in range(existing)] + rows, initial=existing))
    for index, values in enumerate(rows, start=existing):
        data.update({f"notes-{index}-{name}": value for name, value in values.items()})
    if row.get("noted_at_0") is None:
        local = datetime.datetime.now().astimezone()
        data[f"notes-{existing}-noted_at_0"] = f"{local:%Y-%m-%d}"
        data[f"notes-{existing}-noted_at_1"] = f"{local:%H:%M:%S}"
    return data


def page_of(client, article):
    return client.get(article.get_absolute_url()).content.decode()


# --- Adding, in the admin --------------------------------------------------------


def test_an_editor_appends_a_correction_recording_who_wrote_it(editor_client, editor, story):
    response = editor_client.post(
        change_url(story), with_new_note(story, text="The work starts in April, not March.")
    )

    assert response.status_code == 302
    added = story.notes.get()
    assert (added.kind, added.text, added.created_by) == (
        "correction",
        "The work starts in April, not March.",
        editor,
    )


def test_a_writer_cannot_add_a_note(writer_client, writer):
    draft = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)

    writer_client.post(change_url(draft), with_new_note(draft, text="A note."))

    assert not draft.notes.exists()


def test_a_writer_cannot_change_a_note(writer_client, writer):
    draft = ArticleFactory(status=Article.Status.DRAFT, created_by=writer)
    existing = note(draft, text="Standing text.")
    data = story_as_shown(draft)
    data["notes-0-text"] = "Changed by a writer."

    writer_client.post(change_url(draft), data)

    existing.refresh_from_db()
    assert existing.text == "Standing text."


def test_a_note_cannot_be_deleted_from_the_admin(editor_client, story):
    existing = note(story)
    data = story_as_shown(story)
    data["notes-0-DELETE"] = "on"

    editor_client.post(change_url(story), data)

    assert StoryNote.objects.filter(pk=existing.pk).exists()


def test_withdrawing_a_note_leaves_a_dated_line_in_its_place(client, editor_client, story):
    existing = note(story, text="A wrong correction.")
    data = story_as_shown(story)
    data["notes-0-withdraw"] = "on"

    editor_client.post(change_url(story), data)

    existing.refresh_from_db()
    assert existing.withdrawn_at is not None
    page = page_of(client, story)
    assert "A wrong correction." not in page
    assert "Correction of" in page and "withdrawn on" in page


def test_changing_a_note_dates_the_amendment_and_records_a_revision(client, editor_client, story):
    existing = note(story, text="The work starts in April.")
    data = story_as_shown(story)
    data["notes-0-text"] = "The work starts in late April."

    editor_client.post(change_url(story), data)

    existing.refresh_from_db()
    assert existing.amended_at is not None
    assert "Amended on" in page_of(client, story)
    assert revisions.revisions_of(story).first().comment == "1 note"


def test_saving_a_story_without_touching_its_note_does_not_amend_it(editor_client, story):
    existing = note(story)

    editor_client.post(change_url(story), story_as_shown(story, headline="New headline"))

    existing.refresh_from_db()
    assert existing.amended_at is None


def test_a_restore_leaves_the_notes_as_they_are(editor_client, story):
    editor_client.post(change_url(story), story_as_shown(story))
    before_note = revisions.revisions_of(story).first()
    editor_client.post(change_url(story), with_new_note(story, text="Added after."))

    editor_client.post(reverse("admin:articles_article_restore", args=[story.pk, before_note.pk]))

    assert [n.text for n in story.notes.all()] == ["Added after."]


# --- What readers see ------------------------------------------------------------


def test_a_correction_is_shown_above_the_story_with_its_kind_and_date(client, story):
    note(story, text="The work starts in April.", noted_at=NOW)

    page = page_of(client, story)

    notes = page.index('class="story-notes story-notes-top"')
    notice = page.index("The work starts in April.", notes)
    assert notes < page.index("<strong>Correction</strong>") < notice
    assert notice < page.index("The work starts in March.")
    assert f'<time datetime="{timezone.localtime(NOW).isoformat()}">' in page


def test_an_update_is_shown_at_the_end_of_the_story(client, story):
    note(story, kind=StoryNote.Kind.UPDATE, text="The council met again on Friday.")

    page = page_of(client, story)

    update = page.index("The council met again on Friday.")
    assert page.index("The quay will close.") < update < page.index("Council minutes")


def test_a_notes_web_address_is_a_link_and_its_markup_is_text(client, story):
    note(story, text="See https://example.org/minutes <b>now</b>.")

    page = page_of(client, story)

    assert '<a href="https://example.org/minutes" rel="nofollow">' in page
    assert "&lt;b&gt;now&lt;/b&gt;" in page


def test_who_wrote_a_note_is_not_shown(client, story):
    writer = UserFactory(username="kim.notewriter", first_name="Kim", last_name="Notewriter")
    note(story, created_by=writer)

    page = page_of(client, story)

    assert "notewriter" not in page.lower() and "Kim" not in page


def test_notes_cost_the_story_page_no_query(client, story):
    plain = ArticleFactory()
    SourceFactory(article=plain)
    client.get("/")  # the section navigation, cached for every page after
    with CaptureQueriesContext(connection) as without_notes:
        client.get(plain.get_absolute_url())
    note(story)
    note(story, kind=StoryNote.Kind.UPDATE, text="An update.")

    with CaptureQueriesContext(connection) as with_notes:
        client.get(story.get_absolute_url())

    assert len(with_notes) == len(without_notes)


def test_a_new_note_is_on_the_cached_page_at_once(
    client, story, caches_on, django_capture_on_commit_callbacks
):
    page_of(client, story)  # now in the page cache

    with django_capture_on_commit_callbacks(execute=True):
        note(story, text="A correction added later.")

    assert "A correction added later." in page_of(client, story)


# --- Machines: JSON-LD and feeds -------------------------------------------------


def test_jsonld_carries_each_standing_correction(story):
    note(story, text="The work starts in April.", noted_at=NOW)
    note(story, kind=StoryNote.Kind.UPDATE, text="Not a correction.")
    withdrawn = note(story, kind=StoryNote.Kind.CLARIFICATION, text="Withdrawn one.")
    withdrawn.withdraw()

    data = story.jsonld(page_relations(story))

    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "The work starts in April.",
            "datePublished": iso_datetime(NOW),
        }
    ]


def test_date_modified_moves_to_the_latest_note(story):
    later = story.last_modified + datetime.timedelta(days=2)
    note(story, noted_at=later)
    story.refresh_from_db()

    data = story.jsonld(page_relations(story))

    assert data["dateModified"] == iso_datetime(later)


def test_a_note_moves_the_storys_feed_entry_updated_time(client, frozen_clock):
    article = ArticleFactory(published_at=frozen_clock - datetime.timedelta(days=1))
    with time_machine.travel(frozen_clock + datetime.timedelta(hours=3), tick=False):
        note(article)

    feed = parse_xml(client.get(reverse("articles:atom_feed")))

    atom = "{http://www.w3.org/2005/Atom}"
    [entry] = feed.findall(f"{atom}entry")
    updated = datetime.datetime.fromisoformat(entry.find(f"{atom}updated").text)
    assert updated == frozen_clock + datetime.timedelta(hours=3)


# --- /corrections/ -----------------------------------------------------------------


def test_corrections_lists_corrections_and_clarifications_newest_first(client, story):
    note(story, text="Older correction.", noted_at=NOW - datetime.timedelta(days=2))
    note(story, kind=StoryNote.Kind.CLARIFICATION, text="Newer clarification.", noted_at=NOW)
    note(story, kind=StoryNote.Kind.UPDATE, text="An update is not listed.")

    page = client.get(CORRECTIONS_URL).content.decode()

    assert page.index("Newer clarification.") < page.index("Older correction.")
    assert "An update is not listed." not in page
    assert f'href="{story.get_absolute_url()}#note-' in page
    assert story.headline in page


def test_corrections_leaves_out_stories_readers_cannot_see_and_withdrawn_notes(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    note(draft, text="On a draft.")
    live = ArticleFactory()
    note(live, text="Withdrawn later.").withdraw()

    page = client.get(CORRECTIONS_URL).content.decode()

    assert "On a draft." not in page and "Withdrawn later." not in page


def test_corrections_is_paginated_like_the_other_lists(client, story, settings):
    settings.ARTICLES_PER_PAGE = 1
    note(story, text="First.", noted_at=NOW - datetime.timedelta(hours=1))
    note(story, text="Second.", noted_at=NOW)

    second_page = client.get(CORRECTIONS_URL, {"page": 2})

    assert "First." in second_page.content.decode()
    assert client.get(CORRECTIONS_URL, {"page": 9}).status_code == 404


def test_corrections_links_its_feed_and_every_page_links_corrections(client, story):
    corrections = client.get(CORRECTIONS_URL).content.decode()
    home = client.get("/").content.decode()

    assert 'title="Newsroom: corrections and clarifications (RSS)"' in (corrections)
    assert f'href="{CORRECTIONS_FEED_URL}"' in corrections
    assert f'<a href="{CORRECTIONS_URL}">Corrections</a>' in home
    assert f'<a href="{CORRECTIONS_URL}">Corrections</a>' in page_of(client, story)


def test_the_corrections_feed_has_one_entry_per_correction(client, story):
    first = note(story, text="Correction text.")

    feed = parse_xml(client.get(CORRECTIONS_FEED_URL))

    [item] = feed.findall("channel/item")
    assert item.findtext("title") == f"Correction: {story.headline}"
    assert item.findtext("link").endswith(f"{story.get_absolute_url()}#note-{first.pk}")
    assert item.findtext("description") == "Correction text."


def test_no_section_may_take_the_corrections_or_community_address():
    for slug in ("corrections", "community"):
        section = Section(name=slug.title(), slug=slug)
        with pytest.raises(Exception, match="used by the site itself"):
            section.full_clean()
