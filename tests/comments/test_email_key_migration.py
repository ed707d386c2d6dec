"""comments/migrations/0004_comment_email_normalised.py and 0005_fill_…: existing
responses get their normalised email, batch by batch."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from comments.models import Comment
from tests.factories import ArticleFactory

# Migrations run outside the test's transaction (the migration is not atomic).
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("comments", "0002_moderators_group")]
AFTER = [("comments", "0005_fill_comment_email_normalised")]
FILL = importlib.import_module("comments.migrations.0005_fill_comment_email_normalised")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def responses_from_before_the_migration():
    article = ArticleFactory()
    old_apps = migrate(BEFORE)
    OldComment = old_apps.get_model("comments", "Comment")
    emails = ["Jane@MÜNCHEN.de", "ADA@Example.org", "bob@example.org", "", "Zoë@example.org"]
    pks = [
        OldComment.objects.create(
            article_id=article.pk, body="Hello.", author_name="Reader", author_email=email
        ).pk
        for email in emails
    ]
    yield dict(zip(pks, emails, strict=True))
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema


def test_the_migration_fills_every_existing_response_in_batches(
    responses_from_before_the_migration, monkeypatch
):
    monkeypatch.setattr(FILL, "BATCH", 2)  # five responses: three batches

    migrate(AFTER)

    keys = dict(Comment.objects.values_list("pk", "author_email_normalised"))
    assert keys == {
        pk: FILL.normalise_email(email) for pk, email in responses_from_before_the_migration.items()
    }
    assert "jane@xn--mnchen-3ya.de" in keys.values()


def test_an_interrupted_fill_can_be_run_again(responses_from_before_the_migration, monkeypatch):
    migrate([("comments", "0004_comment_email_normalised")])
    Comment.objects.filter(pk=min(responses_from_before_the_migration)).update(
        author_email_normalised="half-done@example.org"  # as a fill killed midway leaves it
    )

    migrate(AFTER)

    assert not Comment.objects.filter(author_email_normalised="half-done@example.org").exists()
