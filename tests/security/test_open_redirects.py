"""No `next=` (or any other redirect target a visitor can write) sends anyone
off the site (issue 7 §2): the admin's sign-in and sign-out, the preview
(which redirects nobody: issue 15 §10), the response form, the admin's "save
and return" filters."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CommentFactory, UserFactory
from tests.security.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cheap_hashing")]


# Shapes browsers resolve to another host, or run.
HOSTILE_TARGETS = [
    "//evil.example",
    "//evil.example/admin/",
    "https://evil.example",
    "http://evil.example/admin/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//testserver@evil.example",
    "https://testserver.evil.example/",
]


def stays_on_site(location):
    """What a browser would do with Location: stay on this site, run nothing."""
    # Browsers drop tabs and newlines and read "\" as "/" in URLs (and do not
    # decode %-escapes there).
    normalised = location.replace("\t", "").replace("\n", "").replace("\\", "/").strip()
    parts = urlsplit(normalised)
    return (
        normalised.startswith("/")
        and not normalised.startswith("//")
        and parts.scheme == ""
        and parts.netloc == ""
    )


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_signing_in_never_redirects_off_site(client, editor_account, target):
    response = client.post(
        reverse("admin:login"), {"username": "ed", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_signing_in_with_next_in_the_address_never_redirects_off_site(
    client, editor_account, target
):
    response = client.post(
        reverse("admin:login") + "?next=" + target, {"username": "ed", "password": PASSWORD}
    )

    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_signing_out_never_redirects_off_site(client, editor_account, target):
    client.force_login(editor_account)

    response = client.post(reverse("admin:logout"), {"next": target})

    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_the_login_page_does_not_carry_a_hostile_next_into_its_links(client, target):
    response = client.get(reverse("admin:login"), {"next": target})

    assert response.status_code == 200
    assert 'href="' + target not in response.text


def test_a_signed_in_editor_opening_the_login_page_stays_on_site(client, editor_account):
    client.force_login(editor_account)

    response = client.get(reverse("admin:login"), {"next": "//evil.example"})

    assert stays_on_site(response["Location"])


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_the_preview_sends_readers_nowhere(client, target):
    # Anonymous readers get a plain 404, not the sign-in page (issue 15 §10).
    draft = ArticleFactory(status="draft", published_at=None)

    response = client.get(reverse("articles:preview", args=[draft.pk]), {"next": target})

    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_a_response_post_returns_to_the_story_whatever_next_says(client, target):
    from tests.comments.conftest import post_data, post_url

    article = ArticleFactory()

    response = client.post(post_url(article) + "?next=" + target, post_data(article, next=target))

    assert response.status_code == 303
    assert stays_on_site(response["Location"])
    assert response["Location"].startswith(article.get_absolute_url())


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example", "/\\evil.example"])
def test_the_admins_return_to_list_filters_stay_on_site(client, target):
    comment = CommentFactory(status="pending")
    client.force_login(UserFactory(username="mod", is_staff=True, groups=["Moderators"]))
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    response = client.post(
        url + "?_changelist_filters=" + target,
        {
            "status": "approved",
            "body": comment.body,
            "author_name": comment.author_name,
            "author_email": comment.author_email,
            "author_url": "",
        },
    )

    assert response.status_code == 302
    assert stays_on_site(response["Location"])
