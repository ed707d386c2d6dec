"""`manage.py purge_page_cache`: every cached page and part of a page is stale.

Pages are purged exactly as they change (pagecache/); this is for
when the code that draws them changed (a deployment: deploy/systemd's web
service runs it before gunicorn starts) or when in doubt. It gives the site's
version a new value, which every entry depends on: nothing is deleted, the
entries are simply never served again and expire.
"""

from django.core.management.base import BaseCommand

import pagecache


class Command(BaseCommand):
    help = "Make every cached page and fragment stale (after a deployment, or when in doubt)."

    def handle(self, *args, **options):
        pagecache.purge_site()
        self.stdout.write("Every cached page and fragment is stale now.")
