"""Least privilege across the three groups (issue 7 §2). What each group may do
with its own models is tested beside them (tests/articles/test_permissions.py,
tests/comments/test_admin.py); here, what none of them may touch: accounts,
groups, the sign-in log, and each other's work.

Editors and responses: decided here. Editors publish stories; they do not
see or moderate readers' responses, which carry commenters' emails and IP
addresses (personal data only moderators need). Someone who does both is put
in both groups."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

GROUPS = ["Editors", "Writers", "Moderators"]

ACCOUNT_PAGES = [
    "admin:auth_user_changelist",
    "admin:auth_user_add",
    "admin:auth_group_changelist",
    "admin:auth_group_add",
]
SIGN_IN_LOG_PAGES = [
    "admin:axes_accessattempt_changelist",
    "admin:axes_accesslog_changelist",
    "admin:axes_accessfailurelog_changelist",
]


def member_of(client, group):
    user = UserFactory(username=group.lower(), is_staff=True, groups=[group])
    client.force_login(user)
    return client


def index_apps(client):
    response = client.get(reverse("admin:index"))
    return {app["app_label"] for app in response.context["app_list"]}


@pytest.mark.parametrize("group", GROUPS)
def test_no_group_holds_any_account_permission(group):
    labels = set(
        Group.objects.get(name=group).permissions.values_list("content_type__app_label", flat=True)
    )

    assert not labels & {"auth", "admin", "contenttypes", "sessions", "axes"}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_no_group_may_open_users_or_groups(client, group, page):
    assert member_of(client, group).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("page", SIGN_IN_LOG_PAGES)
def test_no_group_may_read_the_sign_in_log(client, group, page):
    assert member_of(client, group).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("group", GROUPS)
def test_accounts_are_not_even_listed_for_a_group(client, group):
    assert "auth" not in index_apps(member_of(client, group))


def test_a_moderator_sees_only_responses_in_the_admin(client):
    assert index_apps(member_of(client, "Moderators")) == {"comments"}


def test_a_moderator_cannot_open_a_story_in_the_admin(client):
    story = ArticleFactory()
    client = member_of(client, "Moderators")

    assert client.get(reverse("admin:articles_article_change", args=[story.pk])).status_code == 403


def test_a_moderator_cannot_preview_drafts(client):
    draft = ArticleFactory(status="draft", published_at=None)
    client = member_of(client, "Moderators")

    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("group", ["Editors", "Writers"])
def test_editors_and_writers_do_not_see_responses_in_the_admin(client, group):
    CommentFactory()

    response = member_of(client, group).get(reverse("admin:comments_comment_changelist"))

    assert response.status_code == 403


@pytest.mark.parametrize("group", ["Editors", "Writers"])
def test_editors_and_writers_cannot_moderate_a_response(client, group):
    comment = CommentFactory(status="pending")
    client = member_of(client, group)

    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [str(comment.pk)], "status": "all"},
    )

    comment.refresh_from_db()
    assert comment.status == "pending"


def test_a_member_of_editors_and_moderators_may_do_both(client):
    user = UserFactory(username="both", is_staff=True, groups=["Editors", "Moderators"])
    client.force_login(user)

    assert {"articles", "comments"} <= index_apps(client)


def test_staff_status_alone_opens_nothing(client):
    client.force_login(UserFactory(username="staff", is_staff=True))

    assert index_apps(client) == set()


def test_a_group_member_without_staff_status_cannot_sign_in_to_the_admin(client):
    client.force_login(UserFactory(username="notstaff", is_staff=False, groups=["Editors"]))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
