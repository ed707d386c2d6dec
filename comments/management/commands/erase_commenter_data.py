"""Erase a commenter's personal data, by email address (comments/privacy.py).

By default their responses are anonymised, as WordPress's eraser does: the
name becomes "Anonymous", email, website, IP address and user agent are
blanked (and what the anti-spam reasons noted of them), the text stays.
Addresses match in any case or script, the domain also in its IDNA form
(comments/emails.py). `--delete` deletes the responses instead (with any
replies under them). Irreversible either way: `--dry-run` says what would go.

    python manage.py erase_commenter_data reader@example.org
    python manage.py erase_commenter_data reader@example.org --delete
"""

from django.core.management.base import BaseCommand

from comments.privacy import comments_by, delete_commenter_comments, erase_commenter_data


class Command(BaseCommand):
    help = "Anonymise (or --delete) every response posted with these email addresses."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Delete the responses (and replies under them) instead of anonymising them.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many responses would change."
        )

    def handle(self, *args, emails, delete=False, dry_run=False, **options):
        if dry_run:
            count = comments_by(emails).count()
            verb = "be deleted" if delete else "be anonymised"
            self.stdout.write(f"{count} response(s) would {verb}.")
            return
        if delete:
            count = delete_commenter_comments(emails)
            self.stdout.write(f"Deleted {count} response(s) and any replies under them.")
        else:
            count = erase_commenter_data(emails)
            self.stdout.write(f"Anonymised {count} response(s).")
