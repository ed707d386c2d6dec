"""`manage.py load_demo`, extended with demo responses under the lead story.

This command overrides the articles app's one (comments comes before articles
in INSTALLED_APPS, and Django takes the first app's command), so a single
`load_demo` loads everything while articles never imports comments.
"""

from articles.management.commands import load_demo
from comments.demo import load_demo_comments


class Command(load_demo.Command):
    def load_extras(self, *, lead, articles):
        super().load_extras(lead=lead, articles=articles)
        load_demo_comments(lead)
