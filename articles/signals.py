"""Side effects after a commit (STYLE.md: signals only for on_commit effects)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .context_processors import forget_section_nav
from .models import Section


@receiver(post_save, sender=Section, dispatch_uid="articles.section_nav.saved")
@receiver(post_delete, sender=Section, dispatch_uid="articles.section_nav.deleted")
def section_changed(sender, **kwargs):
    # After the commit: a reader between the save and the commit would
    # otherwise cache the old list again.
    transaction.on_commit(forget_section_nav)
