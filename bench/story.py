"""The page the HTTP bench measures: the demo's lead story (3 pull-quotes,
4 sources, 2 authors, 4 tags), its body made up to about 3,700 characters,
with 50 approved responses under it and the "Leave a Response" form, like the
page of issue 5's figures.

Call `load_measured_story()` after `manage.py load_demo --force`.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags

from articles.models import Article
from comments.models import Comment
from comments.moderation import recount_comments

BODY_CHARACTERS = 3700
RESPONSES = 50
# One response in six is a reply to an earlier one (one level, as the site allows).
REPLY_SHARE = 1 / 6

# Made-up readers' sentences: responses of one to six of them, 60 to 700
# characters, about as long as a news site's readers write.
_SENTENCES = [
    "I live two streets from the river and we were flooded in the last storm.",
    "The barrier is needed, nobody here argues with that.",
    "What worries me is the price, and who decided it behind closed doors.",
    "Thank you for linking the letter itself rather than summarising it.",
    "Six years checking contracts and she walks out: that says a lot.",
    "Could you publish the department's cost model if you obtain it?",
    "My insurance went up again this year because of the flood maps.",
    "The council meeting on Thursday is open to the public, for anyone who wants to ask.",
    "I remember the consultation in 2017; the figure then was far lower.",
    "Emergency rules for a scheme planned for a decade do not sound like an emergency.",
    "Good reporting, and the sources box makes it easy to check for myself.",
    "Will the audit commission publish its findings, or only a summary?",
    "People upstream were flooded too, and they rarely get a mention.",
    "Whoever builds it, please make sure the maintenance is paid for as well.",
    "I worked on a similar project abroad, and the penalty clauses are where the money hides.",
    "The committee should ask for the minutes of every meeting where this was settled.",
    "It would help to see a timeline of who knew what, and when.",
    "Not every delay is a scandal, but this one deserves the questions.",
    "My grandfather helped build the old sea wall; it lasted sixty years.",
    "A summary in due course is not an answer.",
]
_NAMES = [
    "Ruth Abernethy",
    "Kwame Mensah",
    "Isla Pennington",
    "Dev Raman",
    "Harriet Cole",
    "Joseph Nwosu",
    "Megan Lloyd",
    "Arturo Vidal",
    "Fiona Gray",
    "Hamid Karimi",
    "Beth Tranter",
    "Oliver Shaw",
]


def load_measured_story(*, seed=2026):
    """The lead story, lengthened and with RESPONSES approved responses."""
    rng = random.Random(seed)  # noqa: S311  (made-up content, not security)
    with transaction.atomic():
        article = Article.objects.get(is_lead=True)
        _lengthen_body(article, rng)
        _add_responses(article, rng)
        recount_comments([article.pk])
    return Article.objects.select_related("section").get(pk=article.pk)


def body_characters(article):
    return len(strip_tags(article.body))


def _lengthen_body(article, rng):
    """Paragraphs of made-up sentences until the body is about BODY_CHARACTERS long."""
    while body_characters(article) < BODY_CHARACTERS - 150:
        paragraph = " ".join(rng.sample(_SENTENCES, 3))
        article.body += f"<p>{escape(paragraph)}</p>"
    article.save(update_fields=["body"])


def _add_responses(article, rng):
    public = Comment.objects.public().for_article(article)
    missing = RESPONSES - public.count()
    now = timezone.now()
    start = article.published_at
    step = (now - start) / (missing + 1)
    parents = list(public.top_level())
    for number in range(missing):
        parent = rng.choice(parents) if parents and rng.random() < REPLY_SHARE else None
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            body="\n".join(_paragraphs(rng)),
            author_name=rng.choice(_NAMES),
            author_email=f"reader{number}@example.org",
            author_url=f"https://example.org/reader{number}" if rng.random() < 0.2 else "",
            status=Comment.Status.APPROVED,
            created_at=start + step * (number + 1) - datetime.timedelta(seconds=rng.randint(0, 59)),
            moderated_at=now,
        )
        if parent is None:
            parents.append(comment)


def _paragraphs(rng):
    """One to three paragraphs of one to three sentences."""
    return [" ".join(rng.sample(_SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
