# The story's status and publication time copied onto its bylines, with an
# index down which the author page reads an author's newest published stories
# (articles.models.Byline; docs/performance.md, issue 6). Existing bylines
# are filled from their stories.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_stories(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    story = Article.objects.filter(pk=OuterRef("article_id"))
    Byline.objects.update(
        story_status=Subquery(story.values("status")[:1]),
        story_published_at=Subquery(story.values("published_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_status_pub_index_with_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="byline",
            name="story_published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="byline",
            name="story_status",
            field=models.CharField(default="", editable=False, max_length=12),
        ),
        migrations.RunPython(copy_from_stories, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                fields=["author", "story_status", "-story_published_at", "-article"],
                name="byline_author_pub_idx",
            ),
        ),
    ]
