"""Journey 3, the editor: writes a story in the admin with a pull-quote and a
source, keeps it as a draft (staff can preview it, the public cannot see it),
then publishes it to the home page and the feed."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.actions import choose_action, log_in, pull_quote

pytestmark = pytest.mark.e2e

STORY = {
    "headline": "Riverside library to open on Sundays after residents' petition",
    "standfirst": "Six hundred signatures persuaded the council to fund weekend hours.",
    "paragraphs": [
        "The riverside library will open every Sunday from next month.",
        "Councillors approved the extra hours without a vote against.",
        # The pull-quote's words, as the body reports them: its check passes.
        '"A library that is shut when people are free is not much of a library," said '
        "Maya Okafor, who organised the petition.",
    ],
    "quote": "A library that is shut when people are free is not much of a library.",
    "speaker": "Maya Okafor",
    "speaker_role": "Organiser of the Sunday Opening petition",
    "source_title": "Petition to the council",
    "source_url": "https://petitions.example.org/sunday-library",
}


def choose_in_autocomplete(page, box, search, option):
    """The admin's type-to-find boxes (autocomplete_fields): open, type, pick."""
    box.click()
    page.get_by_role("searchbox").last.fill(search)
    page.get_by_role("option", name=option, exact=True).click()


def write_story(page, section_name, author_name):
    page.goto(reverse("admin:articles_article_add"))
    # Typed, not pasted: the admin fills in the slug from the headline as it is typed.
    page.get_by_label("Headline:").press_sequentially(STORY["headline"])
    expect(page.get_by_label("Slug:")).to_have_value(re.compile("riverside-library"))
    page.get_by_label("Standfirst:").fill(STORY["standfirst"])
    # The rich-text editor: an unnamed editable box holding paragraphs.
    body = page.get_by_role("textbox").filter(has=page.get_by_role("paragraph"))
    body.click()
    for number, paragraph in enumerate(STORY["paragraphs"]):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)

    where = page.get_by_role("group", name="Where it appears")
    choose_in_autocomplete(page, where.get_by_role("combobox").first, section_name, section_name)
    byline = page.get_by_role("group", name=re.compile("^Byline"))
    choose_in_autocomplete(page, byline.get_by_role("combobox").first, author_name, author_name)

    page.get_by_role("button", name="Add another Source").click()
    # .filter(visible=True): the admin keeps a hidden blank copy of each inline form.
    sources = page.get_by_role("group", name="Sources")
    sources.get_by_label("Title:").filter(visible=True).fill(STORY["source_title"])
    sources.get_by_label("Kind:").filter(visible=True).select_option(label="Document")
    sources.get_by_label("URL:", exact=True).filter(visible=True).fill(STORY["source_url"])

    page.get_by_role("button", name="Add another Pull quote").click()
    quotes = page.get_by_role("group", name="Pull quotes")
    quotes.get_by_label("Text:").filter(visible=True).fill(STORY["quote"])
    quotes.get_by_label("Speaker:").filter(visible=True).fill(STORY["speaker"])
    quotes.get_by_label("Speaker role:").filter(visible=True).fill(STORY["speaker_role"])

    expect(page.get_by_label("Status:")).to_have_value("draft")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text(re.compile("was added successfully"))).to_be_visible()


def test_editor_writes_a_draft_previews_it_and_publishes_it(new_context, demo):
    from articles.models import Article

    editor = new_context().new_page()
    log_in(editor, "editor")
    author = demo.ordered_authors()[0]
    write_story(editor, section_name=demo.section.name, author_name=author.name)
    story = Article.objects.get(headline=STORY["headline"])
    assert story.state == "Draft"

    # Staff preview the draft: the whole story, never cached.
    with editor.expect_response(re.compile(r"/preview/\d+/$")) as preview:
        editor.get_by_role("link", name="Preview", exact=True).click()
    assert preview.value.status == 200
    assert "no-store" in preview.value.headers["cache-control"]
    expect(editor.get_by_role("heading", level=1, name=STORY["headline"])).to_be_visible()
    expect(pull_quote(editor, STORY["quote"])).to_contain_text(STORY["speaker"])
    expect(editor.get_by_role("link", name=STORY["source_title"]).first).to_be_visible()

    # The public: not found, and not on the home page or in the feed.
    reader = new_context().new_page()
    response = reader.goto(story.get_absolute_url())
    assert response.status == 404
    reader.goto("/")
    expect(reader.get_by_role("link", name=STORY["headline"])).to_have_count(0)
    assert STORY["headline"] not in reader.request.get("/feed/").text()

    # Published from the stories list with the "Publish now" action.
    editor.goto(reverse("admin:articles_article_changelist"))
    row = editor.get_by_role("row").filter(has_text=STORY["headline"])
    row.get_by_role("checkbox").check()
    choose_action(editor, "Publish now")
    expect(editor.get_by_text("1 story published.")).to_be_visible()

    story.refresh_from_db()
    reader.goto("/")
    reader.get_by_role("link", name=STORY["headline"]).first.click()
    expect(reader.get_by_role("heading", level=1, name=STORY["headline"])).to_be_visible()
    for paragraph in STORY["paragraphs"]:
        expect(reader.get_by_text(paragraph)).to_be_visible()
    feed = reader.request.get("/feed/")
    assert feed.ok
    assert STORY["headline"] in feed.text()
    assert story.get_absolute_url() in feed.text()
