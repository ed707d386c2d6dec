"""Preview links for people without an account (issue 16 §2):
articles/publishing.py (create_share_link, revoke_share_link),
articles/views.py (SharePreviewView) and the admin's share page."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ShareLink
from articles.publishing import create_share_link, publish_article, revoke_share_link
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INVALID = "This preview link is not valid"


@pytest.fixture
def draft(editor):
    return ArticleFactory(
        headline="Minister to resign over contract",
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=editor,
    )


@pytest.fixture
def link(draft, editor):
    return create_share_link(draft, by=editor)


def test_anyone_with_the_link_reads_the_draft_as_it_will_look(client, link):
    _, url = link
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Minister to resign over contract" in page
    assert "Preview — not published" in page
    assert 'id="respond"' not in page and "Leave a Response" not in page


def test_a_shared_preview_is_never_cached_indexed_or_leaked_by_referer(client, link):
    response = client.get(link[1])
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_a_link_lasts_seven_days_unless_told_otherwise(link):
    shared, _ = link
    assert shared.expires_at - shared.created_at == pytest.approx(
        datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5)
    )


@pytest.mark.parametrize("days", [0, 31])
def test_a_link_lasts_one_to_thirty_days(draft, editor, days):
    with pytest.raises(ValidationError):
        create_share_link(draft, by=editor, days=days)


def test_an_expired_link_reveals_nothing(client, link, time_machine):
    time_machine.move_to(timezone.now() + datetime.timedelta(days=7, minutes=1))
    response = client.get(link[1])
    assert response.status_code == 404
    assert INVALID in response.content.decode()
    assert "Minister" not in response.content.decode()


def test_a_revoked_link_no_longer_opens(client, link, editor):
    revoke_share_link(link[0], by=editor)
    assert client.get(link[1]).status_code == 404


def test_a_tampered_token_is_not_valid(client, link, draft):
    token = link[1].rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = client.get(reverse("articles:share_preview", args=[draft.pk, tampered]))
    assert response.status_code == 404
    assert "Minister" not in response.content.decode()


def test_a_link_used_for_another_story_is_not_valid(client, link):
    other = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    token = link[1].rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("articles:share_preview", args=[other.pk, token]))
    assert response.status_code == 404


def test_once_published_the_link_leads_to_the_public_address(client, link, draft, editor):
    publish_article(draft, by=editor)
    response = client.get(link[1])
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


def test_the_token_is_random_long_and_stored_only_hashed(link):
    shared, url = link
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 22  # at least 128 bits of base64
    assert token not in shared.token_hash
    assert not ShareLink.objects.filter(token_hash=token).exists()


def test_each_opening_is_counted(client, link):
    client.get(link[1])
    client.get(link[1])
    link[0].refresh_from_db()
    assert link[0].use_count == 2
    assert link[0].last_used_at is not None


def test_a_story_may_have_several_links(client, draft, editor):
    first, second = create_share_link(draft, by=editor), create_share_link(draft, by=editor)
    assert first[1] != second[1]
    revoke_share_link(first[0], by=editor)
    assert client.get(first[1]).status_code == 404
    assert client.get(second[1]).status_code == 200


def test_a_writer_shares_their_own_draft_only(writer):
    own = ArticleFactory(status=Article.Status.DRAFT, published_at=None, created_by=writer)
    someone_elses = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    create_share_link(own, by=writer)
    with pytest.raises(PermissionDenied):
        create_share_link(someone_elses, by=writer)


def test_a_writer_cannot_revoke_someone_elses_link(link, writer):
    with pytest.raises(PermissionDenied):
        revoke_share_link(link[0], by=writer)


def test_a_public_story_gets_no_preview_link(editor):
    with pytest.raises(ValidationError, match="already public"):
        create_share_link(ArticleFactory(), by=editor)


# --- The admin's share page ----------------------------------------------------------------


def share_page(draft):
    return reverse("admin:articles_article_share", args=[draft.pk])


def test_an_editor_makes_a_link_and_sees_its_address_once(editor_client, draft):
    response = editor_client.post(share_page(draft), {"days": "3"})
    page = response.content.decode()
    address = re.search(r'value="(http://testserver/preview/\d+/[^"]+/)"', page)
    assert address, page
    assert editor_client.get(address[1]).status_code == 200
    again = editor_client.get(share_page(draft)).content.decode()
    assert address[1] not in again  # never shown again
    assert "ed" in again and "Active" in again  # who made it, and its state


def test_the_admin_refuses_a_link_of_forty_days(editor_client, draft):
    response = editor_client.post(share_page(draft), {"days": "40"})
    assert response.status_code == 200
    assert not ShareLink.objects.exists()


def test_revoking_from_the_admin(editor_client, link):
    response = editor_client.post(share_page(link[0].article), {"revoke": str(link[0].pk)})
    assert response.status_code == 302
    link[0].refresh_from_db()
    assert link[0].revoked_at is not None


def test_a_writer_cannot_make_links_for_someone_elses_story(writer_client, draft):
    response = writer_client.post(share_page(draft), {"days": "7"})
    assert response.status_code == 403
    assert not ShareLink.objects.exists()


def test_the_story_page_in_the_admin_offers_sharing(editor_client, draft):
    page = editor_client.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert share_page(draft) in page.content.decode()


def test_a_stranger_cannot_reach_the_share_page(client, draft):
    response = client.get(share_page(draft))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
