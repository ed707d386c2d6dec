# A partial index for the home page's lead story (HomeView.lead_story): the
# newest live story flagged `is_lead`. The (status, -published_at) index does
# not serve that look-up when no recent story is flagged; PostgreSQL then scans
# the table (5-16 ms at 10,000 stories). This index holds flagged rows only.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editor_groups"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("is_lead", True)),
                fields=["-published_at"],
                name="article_lead_idx",
            ),
        ),
    ]
