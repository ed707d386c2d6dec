# Which commenter a response belongs to, by a stored normalised copy of the
# email address (issue 15 §6): comments/emails.py `normalise_email` is the one
# definition, the same on SQLite and PostgreSQL, where LOWER() folds only ASCII.
#
# The column and its index only (one transaction, quick); the existing rows
# are filled by 0005_fill_comment_email_normalised, in batches. Two migrations
# so that a fill that is interrupted (a systemd start timeout, a lost
# connection) can simply be run again: this one is then already applied.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0003_used_form_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="author_email_normalised",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=254,
                verbose_name="normalised email",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["author_email_normalised", "status"], name="comment_email_key_idx"
            ),
        ),
        # The address as typed is no longer compared (LOWER() and iexact used
        # no index anyway): its index goes.
        migrations.RemoveIndex(model_name="comment", name="comment_email_idx"),
    ]
