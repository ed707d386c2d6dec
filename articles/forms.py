"""The admin's forms: the fields each shows, and the one rule a form adds to
the model's (who may choose "Published"). Help text lives on the model fields.

The model's own rules (slug unique per publication day, alt text with a hero
image) live in `Article.clean()` and reach these forms through ModelForm
validation.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from . import revisions
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
        fields = [
            "title",
            "kind",
            "url",
            "published_on",
            "publisher",
            "quoted_text",
            "archive_url",
            "order",
        ]


class PullQuoteInlineForm(forms.ModelForm):
    class Meta:
        model = PullQuote
        fields = ["text", "speaker", "speaker_role", "source", "after_paragraph"]


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
