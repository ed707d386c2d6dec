"""Journey 3, the editor, continued (issue 17): two editors on one story,
where the later save is stopped and shown the difference; and an editor who
compares two versions in History and restores the earlier one."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.actions import DEMO_PASSWORD, log_in

pytestmark = pytest.mark.e2e

CONFLICT_TITLE = "Someone else saved this story while you were editing it"


@pytest.fixture
def second_editor(demo):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(
        "subeditor", password=DEMO_PASSWORD, first_name="Sam", last_name="Sub", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def open_story(page, story):
    page.goto(reverse("admin:articles_article_change", args=[story.pk]))
    expect(page.get_by_label("Headline:")).to_have_value(story.headline)


def test_the_later_of_two_saves_is_stopped_shown_the_difference_and_can_save_over(
    new_context, demo, second_editor
):
    from articles import revisions
    from articles.models import Article

    first, second = new_context().new_page(), new_context().new_page()
    log_in(first, "editor")
    log_in(second, "subeditor")
    open_story(first, demo)
    open_story(second, demo)
    expect(second.get_by_role("status").filter(has_text="Opened by")).to_contain_text(
        "Opened by editor at"
    )

    first.get_by_label("Standfirst:").fill("The first editor's new standfirst.")
    first.get_by_role("button", name="Save and continue editing").click()
    expect(first.get_by_text(re.compile("was changed successfully"))).to_be_visible()

    second.get_by_label("Headline:").fill("The second editor's headline")
    second.get_by_role("button", name="Save and continue editing").click()

    expect(second.get_by_role("heading", name=CONFLICT_TITLE)).to_be_visible()
    expect(second.get_by_label("Headline:")).to_have_value("The second editor's headline")
    conflict = second.get_by_role("region", name=CONFLICT_TITLE)
    expect(conflict.locator("ins").filter(has_text="second editor's")).to_be_visible()
    expect(conflict.get_by_role("link", name="Reload their version")).to_be_visible()
    assert Article.objects.get(pk=demo.pk).headline == demo.headline  # nothing lost, nothing saved

    second.get_by_label("Save my version over theirs").check()
    second.get_by_role("button", name="Save and continue editing").click()

    expect(second.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    assert Article.objects.get(pk=demo.pk).headline == "The second editor's headline"
    assert "saved over a newer version (editor" in revisions.revisions_of(demo).first().comment


def test_an_editor_compares_two_versions_and_restores_the_earlier(page, demo):
    old_headline = demo.headline
    log_in(page, "editor")
    open_story(page, demo)
    page.get_by_label("Headline:").fill("A headline the editor regrets")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()

    page.get_by_role("link", name="History").click()
    versions = page.get_by_role("table", name="Versions of this story, newest first")
    expect(versions.get_by_role("row")).to_have_count(3)  # the header, then two versions
    page.get_by_role("button", name="Compare the two chosen versions").click()
    expect(page.locator("del").filter(has_text=old_headline.split()[-1])).to_be_visible()
    expect(page.locator("ins").filter(has_text="regrets")).to_be_visible()

    page.get_by_role("link", name="Restore the earlier version").click()
    expect(page.get_by_role("heading", name="What will change")).to_be_visible()
    page.get_by_role("button", name="Restore this version").click()

    expect(page.get_by_text(re.compile("was restored"))).to_be_visible()
    expect(page.get_by_label("Headline:")).to_have_value(old_headline)
    page.goto(demo.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(old_headline)


def test_the_comparison_and_conflict_pages_meet_no_serious_accessibility_violation(
    new_context, demo, second_editor
):
    from tests.e2e.test_accessibility import blocking_violations

    first, second = new_context().new_page(), new_context().new_page()
    log_in(first, "editor")
    log_in(second, "subeditor")
    open_story(first, demo)
    open_story(second, demo)
    first.get_by_label("Headline:").fill("An earlier save")
    first.get_by_role("button", name="Save and continue editing").click()
    expect(first.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    second.get_by_label("Headline:").fill("A later save")
    second.get_by_role("button", name="Save and continue editing").click()
    expect(second.get_by_role("heading", name=CONFLICT_TITLE)).to_be_visible()
    # The message only: the rest is Django's own change form (its select2
    # boxes are Django's to fix, and the story editor's journey covers it).
    found = blocking_violations(second, context=".edit-conflict")

    first.goto(reverse("admin:articles_article_compare", args=[demo.pk]))
    found += blocking_violations(first)

    assert found == []
