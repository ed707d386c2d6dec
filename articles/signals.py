"""Side effects after a commit (STYLE.md: signals only for on_commit effects).

Purges run after the commit: a reader between the save and the commit would
otherwise cache the old page (or navigation) again under the new version.
Signals rather than calls in the admin and in publishing.py, because a story
changes in many ways (the publishing verbs, the admin's form and inlines, a
delete, the shell) and every one of them must purge.

A story that was public and is no longer (unpublished, moved back to a draft
or into the future, deleted) is taken down: its pages and every list are
purged with tombstones, so that no copy from before is served again, not
even while the database is away (issue 15 §5). Whether it was public is what
`Article.save()` read of its row before the save (`_was_public`: the same read
that keeps its old addresses answering; on saves only, never on a reader's
page).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

import pagecache

from .context_processors import forget_section_nav
from .models import (
    Article,
    Author,
    Byline,
    PullQuote,
    Redirect,
    Section,
    Source,
    StoryNote,
    Tag,
)


@receiver(post_save, sender=Section, dispatch_uid="articles.section_nav.saved")
@receiver(post_delete, sender=Section, dispatch_uid="articles.section_nav.deleted")
def section_changed(sender, **kwargs):
    transaction.on_commit(forget_section_nav)


@receiver(post_save, sender=Section, dispatch_uid="articles.pagecache.section_saved")
@receiver(post_delete, sender=Section, dispatch_uid="articles.pagecache.section_deleted")
@receiver(post_save, sender=Author, dispatch_uid="articles.pagecache.author_saved")
@receiver(post_delete, sender=Author, dispatch_uid="articles.pagecache.author_deleted")
@receiver(post_save, sender=Tag, dispatch_uid="articles.pagecache.tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="articles.pagecache.tag_deleted")
def shown_everywhere_changed(sender, **kwargs):
    # The navigation, bylines and topics appear on pages of every kind.
    pagecache.purge_site_on_commit()


@receiver(post_save, sender=Article, dispatch_uid="articles.pagecache.article_saved")
@receiver(post_delete, sender=Article, dispatch_uid="articles.pagecache.article_deleted")
def article_changed(sender, instance, **kwargs):
    # Its time may be (or may have been) the next scheduled publication.
    transaction.on_commit(pagecache.forget_next_scheduled, robust=True)
    if kwargs["signal"] is post_delete:
        taken_down = instance.is_public
    else:
        taken_down = getattr(instance, "_was_public", False) and not instance.is_public
    pagecache.purge_articles_on_commit([instance.pk], takedown=taken_down)


@receiver(post_delete, sender=Article, dispatch_uid="articles.redirects.article_deleted")
def article_deleted(sender, instance, **kwargs):
    # A rule, not an after-commit effect, but a signal all the same: a story
    # is deleted by the admin's bulk action (a queryset delete, which never
    # calls Model.delete()), by its own page and by scripts, and each must
    # leave its 410 behind (issue 16). Same transaction as the delete.
    if instance.is_public:
        Redirect.objects.gone(instance.get_absolute_url(), article_id=instance.pk)


@receiver(post_save, sender=Byline, dispatch_uid="articles.pagecache.byline_saved")
@receiver(post_delete, sender=Byline, dispatch_uid="articles.pagecache.byline_deleted")
@receiver(post_save, sender=PullQuote, dispatch_uid="articles.pagecache.quote_saved")
@receiver(post_delete, sender=PullQuote, dispatch_uid="articles.pagecache.quote_deleted")
@receiver(post_save, sender=Source, dispatch_uid="articles.pagecache.source_saved")
@receiver(post_delete, sender=Source, dispatch_uid="articles.pagecache.source_deleted")
@receiver(post_save, sender=StoryNote, dispatch_uid="articles.pagecache.note_saved")
@receiver(post_delete, sender=StoryNote, dispatch_uid="articles.pagecache.note_deleted")
def part_of_article_changed(sender, instance, **kwargs):
    pagecache.purge_articles_on_commit([instance.article_id])


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="articles.pagecache.tags")
def article_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # tag.articles.add(...), rare: a tag page and its stories' pages
        pagecache.purge_site_on_commit()
    else:
        pagecache.purge_articles_on_commit([instance.pk])
