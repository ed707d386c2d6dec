"""factory_boy factories for the models the tests build."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, Author, Byline, PullQuote, Section, Source, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Reporter"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """A live story by default; pass status/published_at for drafts and schedules."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves budget number {n}")
    slug = factory.Sequence(lambda n: f"council-approves-budget-{n}")
    standfirst = "The vote came after a long night of debate."
    body = "<p>First paragraph.</p><p>Second paragraph.</p><p>Third paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        if create and authors:
            for order, author in enumerate(authors):
                Byline.objects.create(article=self, author=author, order=order)

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.set(tags)


class PullQuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PullQuote

    article = factory.SubFactory(ArticleFactory)
    text = "We will not stay silent."
    speaker = "Dr. Jane Roe"
    speaker_role = "Director of Example Trust"
    after_paragraph = 1


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    article = factory.SubFactory(ArticleFactory)
    title = "Letter of resignation"
    kind = Source.Kind.DOCUMENT
    url = "https://example.org/letter"
    publisher = "Example Ministry"


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved response by default; pass status=... for the queue, spam, etc."""

    class Meta:
        model = "comments.Comment"

    article = factory.SubFactory(ArticleFactory)
    body = factory.Sequence(lambda n: f"A considered response, number {n}.")
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    author_email = factory.Sequence(lambda n: f"reader{n}@example.org")
    status = "approved"
    ip_address = "203.0.113.7"
    user_agent = "Mozilla/5.0 (test)"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Keep the story's comment_count true, as the moderation verbs do.
        from comments.moderation import recount_comments

        comment = super()._create(model_class, *args, **kwargs)
        recount_comments([comment.article_id])
        return comment
