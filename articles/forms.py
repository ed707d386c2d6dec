"""The admin's forms: the fields each shows, and the one rule a form adds to
the model's (who may choose "Published"). Help text lives on the model fields.

The model's own rules (slug unique per publication day, alt text with a hero
image) live in `Article.clean()` and reach these forms through ModelForm
validation.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from . import publishing, revisions
from .models import Article, Author, Byline, PullQuote, Section, Source, StoryNote, Tag


class ArticleAdminForm(forms.ModelForm):
    # Set per request by ArticleAdmin.get_form (it builds a new form class each
    # time): writers may not choose "Published".
    may_publish = True
    # The story's version when this form was opened (Article.version): a save
    # from a form older than the story is refused (revisions.find_conflict).
    # A client that sends none (a script) is not checked.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    # Ticked on the conflict page to save over the newer version on purpose.
    # Its value is the version being overwritten: a third save meanwhile is
    # refused again.
    # (The conflict message draws it as a checkbox: templates/admin/articles/
    # article/change_form.html.)
    overwrite_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "standfirst",
            "body",
            "section",
            "tags",
            "is_lead",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "hero_credit",
            "status",
            "published_at",
            "comments_open",
        ]

    class Media:
        # Gives the body's rich-text editor an accessible name: its label.
        js = ["articles/prose-editor-name.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Set by clean(): the story before this save (for the revision's
        # summary), and the conflict found, or the one overwritten on purpose.
        self.before = None
        self.conflict = None
        self.overwrote = None
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.version
        status = self.fields.get("status")
        if status is not None and not self.may_publish:
            # Not just hidden: a posted "published" is an invalid choice.
            status.choices = [
                choice for choice in status.choices if choice[0] != Article.Status.PUBLISHED
            ]
            status.help_text = (
                "Draft: work in progress. In review: ready for an editor, who publishes it."
            )

    def clean(self):
        cleaned_data = super().clean()
        publishing = cleaned_data.get("status") == Article.Status.PUBLISHED
        if publishing and "published_at" in self.fields and not cleaned_data.get("published_at"):
            # "Published" with no time means now, as the "Publish now" action does;
            # set before the model's clean() so the slug-per-day rule sees the date.
            cleaned_data["published_at"] = timezone.now()
        if self.instance.pk:
            self._check_version(cleaned_data)
        return cleaned_data

    def _check_version(self, cleaned_data):
        seen = cleaned_data.get("edit_version")
        if seen is None and "edit_version" not in self.data:
            return
        conflict = revisions.find_conflict(self.instance, seen)
        if conflict is None:
            revisions.record_baseline(self.instance)
            self.before = revisions.snapshot_of(self.instance)
            return
        if cleaned_data.get("overwrite_version") == conflict.version:
            self.overwrote = conflict
            self.before = revisions.snapshot_of(self.instance)
            return
        self.conflict = conflict
        raise ValidationError(
            "%(who)s saved this story at %(when)s, after you opened it, so your changes "
            "were not saved. They are still in the form below. Compare the two versions, "
            "then reload theirs or save yours over it.",
            params={"who": conflict.saved_by, "when": revisions.time_label(conflict.saved_at)},
            code="edit_conflict",
        )


class BylineInlineForm(forms.ModelForm):
    class Meta:
        model = Byline
        fields = ["author", "order"]


class SourceInlineForm(forms.ModelForm):
    class Meta:
        model = Source
        # The fields an editor types are the ones a revision keeps and restores.
        fields = revisions.SOURCE_FIELDS


class PullQuoteInlineForm(forms.ModelForm):
    # Set per request by PullQuoteInline.get_formset (a new class each time):
    # the editor who may confirm quotes, or None (writers: no such field).
    confirmer = None

    confirm_reason = forms.CharField(
        label="Confirm with reason",
        required=False,
        max_length=PullQuote._meta.get_field("confirmation_reason").max_length,
        help_text="Editors only, for a quote the check flags (not found in the body or its "
        "source): how you know the words were said, e.g. “from the interview recording, "
        "12 May”. Recorded with your name and the time; never shown to readers.",
    )

    class Meta:
        model = PullQuote
        fields = ["text", "speaker", "speaker_role", "source", "after_paragraph"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.confirmer is None:
            del self.fields["confirm_reason"]

    def save(self, commit=True):
        quote = super().save(commit=False)
        reason = self.cleaned_data.get("confirm_reason")
        if reason and self.confirmer is not None:
            quote.confirm(by=self.confirmer, reason=reason, at=timezone.now())
        if commit:
            quote.save()
        return quote

    def is_confirmed_as_posted(self):
        """Whether the words as posted are confirmed: by a reason given now,
        or by an earlier confirmation of these very words."""
        if self.cleaned_data.get("confirm_reason") and self.confirmer is not None:
            return True
        quote = self.instance
        return quote.confirmed_at is not None and quote.confirmed_text == self.cleaned_data.get(
            "text"
        )


class PullQuoteFormSet(BaseInlineFormSet):
    """The story's pull-quotes as posted. Its one rule: a story whose quotes
    are not found in its body or sources (articles/quotes.py) may not be
    published or scheduled from this form until an editor confirms each.

    A live story stays live whatever its quotes (the admin shows the flag),
    and a scheduled story edited here stays scheduled in the form; the save
    then sends it back to In review if a quote awaits confirmation
    (ArticleAdmin.save_related: publishing.hold_for_quote_check).
    """

    # The sources formset of the same page, set by ArticleAdmin, so a quote is
    # checked against its source's text as posted with it.
    sources_formset = None

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != Article.Status.PUBLISHED or not self._becomes_public():
            return
        body = article.body
        posted_sources = self._posted_source_texts()
        waiting = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("text"):
                continue
            source = data.get("source")
            source_text = ""
            if source is not None:
                source_text = posted_sources.get(source.pk, source.quoted_text)
            unmatched = publishing.unmatched_quote_words(
                data["text"], body_html=body, source_text=source_text
            )
            if unmatched and not form.is_confirmed_as_posted():
                waiting.append(form.instance)
                form.add_error(
                    "confirm_reason" if "confirm_reason" in form.fields else None,
                    "Not found in the story’s body or its source; these words did not "
                    "match: " + " · ".join(f"“{run}”" for run in unmatched) + ". Correct "
                    "the quote, or confirm it with a reason, before publishing.",
                )
        if waiting:
            raise publishing.unconfirmed_quotes_error(article, waiting)

    def _becomes_public(self):
        """Whether this save would publish or schedule a story that is
        neither live nor staying scheduled."""
        before = (
            Article.objects.filter(pk=self.instance.pk).values("status", "published_at").first()
            if self.instance.pk
            else None
        )
        if before is None or before["status"] != Article.Status.PUBLISHED:
            return True
        now = timezone.now()
        was_live = before["published_at"] is None or before["published_at"] <= now
        stays_scheduled = bool(self.instance.published_at and self.instance.published_at > now)
        return not was_live and not stays_scheduled

    def _posted_source_texts(self):
        if self.sources_formset is None:
            return {}
        texts = {}
        for form in self.sources_formset.forms:
            data = getattr(form, "cleaned_data", None)
            if form.instance.pk is None or not data:
                continue
            texts[form.instance.pk] = "" if data.get("DELETE") else data.get("quoted_text", "")
        return texts


class StoryNoteInlineForm(forms.ModelForm):
    """A note is changed in the open (the model dates every amendment) and
    withdrawn, never deleted: a withdrawn note can no longer be changed."""

    withdraw = forms.BooleanField(
        required=False,
        label="Withdraw this note",
        help_text="It then shows only as a line saying it was withdrawn, and when.",
    )

    class Meta:
        model = StoryNote
        fields = ["kind", "text", "noted_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["withdraw"].disabled = True  # nothing to withdraw yet
        elif self.instance.withdrawn_at is not None:
            for field in self.fields.values():
                field.disabled = True

    def save(self, commit=True):
        if self.cleaned_data.get("withdraw") and self.instance.withdrawn_at is None:
            self.instance.withdrawn_at = timezone.now()
        return super().save(commit)


class SectionAdminForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["name", "slug", "description", "order"]


class AuthorAdminForm(forms.ModelForm):
    class Meta:
        model = Author
        fields = ["name", "slug", "role", "bio", "photo"]


class TagAdminForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]
