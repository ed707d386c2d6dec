"""The Comments admin's privacy actions (comments/privacy_admin.py): export and
erase the data of the selected commenters."""

import json

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist") + "?status=all"
ADA = "ada@example.org"


@pytest.fixture
def moderator(client):
    client.force_login(UserFactory(username="mod", groups=["Moderators"], is_staff=True))
    return client


@pytest.fixture
def adas_responses():
    return [
        CommentFactory(author_email=ADA, author_name="Ada Reader", body="Selected one."),
        CommentFactory(author_email=ADA, author_name="Ada R.", status="spam", body="Another."),
    ]


def act(client, action, comments, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [str(c.pk) for c in comments], **extra},
    )


def test_export_downloads_json(moderator, adas_responses):
    response = act(moderator, "export_commenter_data", adas_responses[:1])

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")


def test_export_covers_every_response_of_the_selected_commenters(moderator, adas_responses):
    response = act(moderator, "export_commenter_data", adas_responses[:1])

    comments = json.loads(response.content)["commenters"][0]["comments"]
    assert [c["id"] for c in comments] == [c.pk for c in adas_responses]


def test_export_is_never_cached(moderator, adas_responses):
    response = act(moderator, "export_commenter_data", adas_responses[:1])

    assert "no-store" in response["Cache-Control"]


def test_erase_asks_for_confirmation_first(moderator, adas_responses):
    response = act(moderator, "erase_commenter_data", adas_responses[:1])

    assert response.status_code == 200
    assert "This cannot be undone" in response.text
    assert ADA in response.text
    assert Comment.objects.get(pk=adas_responses[0].pk).author_email == ADA


def test_the_confirmation_lists_every_response_that_will_change(moderator, adas_responses):
    response = act(moderator, "erase_commenter_data", adas_responses[:1])

    assert list(response.context["responses"]) == adas_responses


def test_confirming_anonymises_every_response_of_the_commenter(moderator, adas_responses):
    response = act(moderator, "erase_commenter_data", adas_responses[:1], post="yes")

    assert response.status_code == 302
    names = set(Comment.objects.values_list("author_name", flat=True))
    assert names == {"Anonymous"}


def test_an_erased_response_opens_with_its_details_read_only(moderator, adas_responses):
    act(moderator, "erase_commenter_data", adas_responses[:1], post="yes")

    response = moderator.get(reverse("admin:comments_comment_change", args=[adas_responses[0].pk]))

    fields = response.context["adminform"].form.fields
    assert not {"author_name", "author_email", "author_url"} & set(fields)


def test_an_erased_response_can_still_be_moderated_from_its_page(moderator, adas_responses):
    act(moderator, "erase_commenter_data", adas_responses[:1], post="yes")
    comment = adas_responses[1]
    url = reverse("admin:comments_comment_change", args=[comment.pk])

    response = moderator.post(url, {"status": "approved", "body": comment.body})

    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_staff_who_may_only_view_cannot_erase(client, adas_responses):
    from django.contrib.auth.models import Permission

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)

    act(client, "erase_commenter_data", adas_responses[:1], post="yes")

    assert Comment.objects.get(pk=adas_responses[0].pk).author_email == ADA


@pytest.mark.parametrize("group", ["Editors", "Writers"])
def test_editors_and_writers_cannot_export(client, adas_responses, group):
    client.force_login(UserFactory(username="someone", groups=[group], is_staff=True))

    response = act(client, "export_commenter_data", adas_responses[:1])

    assert response.status_code == 403


def test_erasing_a_non_ascii_address_erases_it_in_every_case_and_form(moderator):
    posted = CommentFactory(author_email="Jane@MÜNCHEN.de", author_name="Jane")
    again = CommentFactory(author_email="jane@xn--mnchen-3ya.de", author_name="Jane")

    act(moderator, "erase_commenter_data", [posted], post="yes")

    erased = Comment.objects.filter(pk__in=[posted.pk, again.pk])
    assert set(erased.values_list("author_name", flat=True)) == {"Anonymous"}


def test_the_confirmation_names_each_commenter_once(moderator):
    posted = CommentFactory(author_email="Jane@MÜNCHEN.de")
    again = CommentFactory(author_email="jane@münchen.de")

    response = act(moderator, "erase_commenter_data", [posted, again])

    assert len(response.context["emails"]) == 1
    assert len(response.context["responses"]) == 2
