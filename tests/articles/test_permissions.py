"""Writers and editors (least privilege): the groups the 0003 migration creates
and what the admin lets each do, enforced on the server (crafted POSTs included)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.admin import ArticleAdmin
from articles.models import Article, PullQuote
from tests.articles.admin_forms import (
    ADD_URL,
    CHANGELIST_URL,
    article_form,
    change_url,
    inline_rows,
)
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _codenames(group_name):
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def _action_names(response):
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


# --- The groups -----------------------------------------------------------------


def test_editors_may_publish():
    assert "publish_article" in _codenames("Editors")


@pytest.mark.parametrize("model", ["article", "section", "author", "tag", "source", "pullquote"])
def test_editors_have_every_right_on_stories_and_what_hangs_off_them(model):
    assert {f"{action}_{model}" for action in ("add", "change", "delete", "view")} <= _codenames(
        "Editors"
    )


def test_writers_may_not_publish():
    assert "publish_article" not in _codenames("Writers")


def test_writers_may_not_delete_anything():
    assert not {name for name in _codenames("Writers") if name.startswith("delete_")}


def test_writers_only_view_sections_authors_and_tags():
    codenames = _codenames("Writers")

    assert {"view_section", "view_author", "view_tag"} <= codenames
    assert not {"add_section", "change_section", "add_tag", "change_author"} & codenames


# --- Writing --------------------------------------------------------------------


def test_a_writer_is_offered_only_draft_and_in_review(writer_client):
    response = writer_client.get(ADD_URL)

    status = response.context["adminform"].form.fields["status"]
    assert [value for value, _ in status.choices] == ["draft", "review"]


def test_an_editor_is_offered_published_too(editor_client):
    response = editor_client.get(ADD_URL)

    status = response.context["adminform"].form.fields["status"]
    assert "published" in [value for value, _ in status.choices]


def test_a_writer_writes_a_draft(writer_client, writer):
    response = writer_client.post(ADD_URL, article_form(SectionFactory()))

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.status, article.created_by) == (Article.Status.DRAFT, writer)


def test_a_writer_submits_for_review_through_the_form(writer_client):
    writer_client.post(ADD_URL, article_form(SectionFactory(), status="review"))

    assert Article.objects.get().status == Article.Status.REVIEW


def test_a_writer_adds_pull_quotes_to_a_draft(writer_client):
    data = article_form(
        SectionFactory(),
        **inline_rows("pull_quotes", [{"text": "Yes.", "speaker": "Ann", "after_paragraph": 1}]),
    )

    writer_client.post(ADD_URL, data)

    assert PullQuote.objects.get().article == Article.objects.get()


def test_a_crafted_post_cannot_make_a_writer_publish(writer_client):
    response = writer_client.post(ADD_URL, article_form(SectionFactory(), status="published"))

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_a_writer_cannot_set_the_publication_time(writer_client):
    later = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)

    writer_client.post(ADD_URL, article_form(SectionFactory(), published_at=later))

    assert Article.objects.get().published_at is None


def test_a_writer_cannot_make_a_story_the_lead(writer_client):
    writer_client.post(ADD_URL, article_form(SectionFactory(), is_lead="on"))

    assert not Article.objects.get().is_lead


def test_a_writer_edits_a_draft(writer_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    data = article_form(draft.section, headline="Better headline", slug=draft.slug)

    response = writer_client.post(change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.headline == "Better headline"


def test_a_writer_cannot_publish_an_existing_draft_by_crafted_post(writer_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    writer_client.post(change_url(draft), article_form(draft.section, status="published"))

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_the_last_guard_refuses_a_writer_saving_a_published_story(writer):
    request = RequestFactory().post(ADD_URL)
    request.user = writer
    article = Article(section=SectionFactory(), status=Article.Status.PUBLISHED)
    model_admin = ArticleAdmin(Article, None)

    with pytest.raises(PermissionDenied):
        model_admin.save_model(request, article, form=None, change=False)

    assert article.pk is None


# --- Published and scheduled stories are the editors' ----------------------------


@pytest.mark.parametrize("hours", [-1, 24], ids=["live", "scheduled"])
def test_a_writer_sees_a_published_story_read_only(writer_client, hours):
    story = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=hours))

    response = writer_client.get(change_url(story))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert 'name="_save"' not in response.text


def test_a_writer_reads_a_published_storys_body_as_text_not_html_source(writer_client):
    story = ArticleFactory(body="<p>First paragraph.</p><p>Second <em>one</em>.</p>")

    response = writer_client.get(change_url(story))

    assert "<p>Second <em>one</em>.</p>" in response.text
    assert "&lt;p&gt;" not in response.text


@pytest.mark.parametrize("hours", [-1, 24], ids=["live", "scheduled"])
def test_a_writers_post_to_a_published_story_is_refused(writer_client, hours):
    story = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=hours))
    data = article_form(story.section, headline="Rewritten", slug=story.slug, status="draft")

    response = writer_client.post(change_url(story), data)

    assert response.status_code == 403
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
    assert story.headline != "Rewritten"


def test_an_editor_edits_a_published_story(editor_client):
    story = ArticleFactory()
    data = article_form(
        story.section,
        headline="Corrected headline",
        slug=story.slug,
        status="published",
        published_at=story.published_at,
    )

    response = editor_client.post(change_url(story), data)

    assert response.status_code == 302
    story.refresh_from_db()
    assert story.headline == "Corrected headline"


# --- Actions ---------------------------------------------------------------------


def test_a_writer_is_not_offered_publish_or_unpublish(writer_client):
    ArticleFactory()

    actions = _action_names(writer_client.get(CHANGELIST_URL))

    assert "send_for_review" in actions
    assert not {"publish_now", "unpublish", "delete_selected"} & actions


def test_an_editor_is_offered_publish_and_unpublish(editor_client):
    ArticleFactory()

    actions = _action_names(editor_client.get(CHANGELIST_URL))

    assert {"publish_now", "unpublish", "send_for_review", "delete_selected"} <= actions


@pytest.mark.parametrize("action", ["publish_now", "unpublish"])
def test_a_writers_crafted_action_post_does_nothing(writer_client, action):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    live = ArticleFactory()

    writer_client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [str(draft.pk), str(live.pk)]}
    )

    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == (Article.Status.DRAFT, Article.Status.PUBLISHED)


def test_a_writer_cannot_delete_a_story(writer_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = writer_client.post(
        reverse("admin:articles_article_delete", args=[draft.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=draft.pk).exists()


# --- Everything else --------------------------------------------------------------


def test_a_writer_cannot_add_a_section(writer_client):
    response = writer_client.get(reverse("admin:articles_section_add"))

    assert response.status_code == 403


def test_staff_without_a_group_cannot_open_the_story_form(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(ADD_URL).status_code == 403


def test_a_reader_is_sent_to_the_login_page(client):
    response = client.get(ADD_URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
