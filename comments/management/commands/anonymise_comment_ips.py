"""Blank the IP address and user agent of responses older than the retention period.

They are kept only for abuse handling (flood, duplicates, a moderator tracing
a spammer); after COMMENTS_IP_RETENTION_DAYS (default 30) they are erased, not
truncated: a /24 still narrows a reader down to a street, and nothing we do
needs it after a month. Run it daily (deploy/ has a systemd timer).

It also deletes the used form tokens that have expired (comments.models.
UsedFormToken): each saved post deletes them too, but a site that gets no
posts for a while keeps them until then.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, UsedFormToken


class Command(BaseCommand):
    help = "Erase the IP address and user agent of responses older than COMMENTS_IP_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of COMMENTS_IP_RETENTION_DAYS.",
        )

    def handle(self, *args, days=None, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        count = (
            Comment.objects.filter(created_at__lt=cutoff)
            .filter(Q(ip_address__isnull=False) | ~Q(user_agent=""))
            .update(ip_address=None, user_agent="")
        )
        self.stdout.write(
            f"Anonymised {count} response{'s' if count != 1 else ''} older than {days} days."
        )
        UsedFormToken.objects.filter(expires_at__lte=timezone.now()).delete()
