"""Export everything kept about a commenter, by email address, as JSON
(comments/privacy.py: what is exported). For a reader's access request:

    python manage.py export_commenter_data reader@example.org > reader.json
    python manage.py export_commenter_data a@example.org b@example.org --output data.json
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from comments.privacy import export_commenter_data


class Command(BaseCommand):
    help = "Export every response posted with these email addresses, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("emails", nargs="+", metavar="EMAIL")
        parser.add_argument(
            "--output", metavar="FILE", help="Write the JSON to FILE instead of standard output."
        )

    def handle(self, *args, emails, output=None, **options):
        data = export_commenter_data(emails)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        count = sum(len(commenter["comments"]) for commenter in data["commenters"])
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported {count} response(s) to {output}.")
        else:
            self.stdout.write(text, ending="")
