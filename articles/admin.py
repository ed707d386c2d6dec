"""The newsroom's UI: where editors and writers write, review and publish.

Who may do what (issue 2 §4):
- Editors (and superusers) hold `articles.publish_article`: they publish,
  schedule and unpublish, here with the "Publish now" and "Unpublish" actions
  or the status field.
- Writers write drafts and submit them for review. For them the status field
  offers only Draft and In review, the publication time and the lead flag are
  read-only, the publishing actions are absent, and a published or scheduled
  story is read-only (a POST to it is refused with 403). All of it is enforced
  here on the server, not by hiding widgets.
State changes go through the verbs in `articles.publishing`.

Revisions (issue 17, articles/revisions.py): every save here records one;
History lists them, any two compare, one can be restored; a save from a
form opened before someone else's save is refused with the difference shown.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.numbers import BIGINT_DIGITS, parse_number
from core.security import NonceMediaAdminMixin
from pagecache.admin import PurgeWarningsMixin

from . import revisions
from .diff import compare
from .forms import (
    ArticleAdminForm,
    AuthorAdminForm,
    BylineInlineForm,
    PullQuoteFormSet,
    PullQuoteInlineForm,
    SectionAdminForm,
    SourceInlineForm,
    StoryNoteInlineForm,
    TagAdminForm,
)
from .models import (
    Article,
    Author,
    Byline,
    PullQuote,
    Redirect,
    Section,
    ShareLink,
    Source,
    StoryNote,
    Tag,
)
from .pagination import CappedCountAdminMixin
from .publishing import (
    can_publish,
    can_restore,
    can_see_history,
    can_share,
    create_share_link,
    hold_for_quote_check,
    publish_article,
    restore_version,
    revoke_share_link,
    submit_for_review,
    unpublish_article,
)

admin.site.site_header = "Newsroom"
admin.site.site_title = "Newsroom"
admin.site.index_title = "Newsroom administration"


def is_locked_for(user, article):
    """A published or scheduled story is the editors' alone: writers may only view it."""
    return (
        article is not None
        and article.pk is not None
        and article.status == Article.Status.PUBLISHED
        and not can_publish(user)
    )


def preview_url(article_pk):
    """The staff-only preview of any story, draft or not (None until the public
    views provide `articles:preview`)."""
    try:
        return reverse("articles:preview", args=[article_pk])
    except NoReverseMatch:
        return None


def _local_time_label(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y, %H:%M}"


def _rendered(field):
    return "rendered_body" if field == "body" else field


class StateListFilter(admin.SimpleListFilter):
    """Draft, In review, Scheduled or Live: the states editors think in
    ("Scheduled" and "Live" are both stored as Published)."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        by_state = {
            "draft": queryset.drafts,
            "review": queryset.in_review,
            "scheduled": queryset.scheduled,
            "live": queryset.published,
        }
        if self.value() in by_state:
            return by_state[self.value()]()
        return queryset


class StoryPartInline:
    """What hangs off a story follows the story: read-only when it is locked."""

    def has_add_permission(self, request, obj=None):
        return not is_locked_for(request.user, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_locked_for(request.user, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_locked_for(request.user, obj) and super().has_delete_permission(request, obj)


class BylineInline(StoryPartInline, admin.TabularInline):
    model = Byline
    form = BylineInlineForm
    autocomplete_fields = ["author"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "byline (co-authors in order)"


class SourceInline(StoryPartInline, admin.StackedInline):
    model = Source
    form = SourceInlineForm
    extra = 0
    fields = [
        ("title", "kind"),
        ("url", "published_on"),
        "publisher",
        "quoted_text",
        ("archive_url", "order"),
    ]


class PullQuoteInline(StoryPartInline, admin.StackedInline):
    """Each quote with its check (issue 18 §2): what did not match, and who
    confirmed it, why and when; editors confirm a flagged quote here."""

    model = PullQuote
    form = PullQuoteInlineForm
    formset = PullQuoteFormSet
    extra = 0
    fields = [
        "text",
        ("speaker", "speaker_role"),
        ("source", "after_paragraph"),
        "quote_check",
        "confirm_reason",
    ]
    readonly_fields = ["quote_check"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if can_publish(request.user):
            return fields
        return [field for field in fields if field != "confirm_reason"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A new form class per call: the confirming editor does not leak between requests.
        formset.form.confirmer = request.user if can_publish(request.user) else None
        return formset

    @admin.display(description="Quote check")
    def quote_check(self, quote):
        if quote is None or quote.pk is None:
            return "Checked against the body and its source when you save."
        if quote.checked_at is None:
            found = "Not checked yet (written before quote checks): checked on the next save."
        elif not quote.is_flagged:
            found = "Found in the story’s body or its source."
        else:
            found = format_html(
                '<span class="quote-flag">Not found in the body or its source.</span> '
                "These words did not match: {}",
                format_html_join(
                    " · ",
                    '<mark class="quote-unmatched">“{}”</mark>',
                    ((run,) for run in quote.unmatched_runs),
                ),
            )
        if quote.is_confirmed:
            who = quote.confirmed_by.get_username() if quote.confirmed_by else "before quote checks"
            confirmed = format_html(
                '<span class="quote-confirmed">Confirmed</span> by {} on {}: “{}”',
                who,
                _local_time_label(quote.confirmed_at),
                quote.confirmation_reason,
            )
        elif quote.is_flagged:
            confirmed = (
                "Waiting for an editor to confirm it with a reason: "
                "until then the story cannot be published or scheduled."
            )
        else:
            confirmed = ""
        return format_html('<span class="quote-check">{}</span> {}', found, confirmed)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            # Only this story's own sources (the form then refuses any other id).
            object_id = parse_number(
                request.resolver_match.kwargs.get("object_id"), max_digits=BIGINT_DIGITS
            )
            kwargs["queryset"] = (
                Source.objects.filter(article_id=object_id)
                if object_id is not None
                else Source.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StoryNoteInline(admin.StackedInline):
    """Corrections, clarifications, updates and editor's notes (issue 18 §1).
    Editors add and change them; nobody deletes one (it is withdrawn instead);
    writers see them."""

    model = StoryNote
    form = StoryNoteInlineForm
    extra = 0
    can_delete = False
    fields = [("kind", "noted_at"), "text", "withdraw", ("amended_at", "withdrawn_at")]
    readonly_fields = ["amended_at", "withdrawn_at"]
    verbose_name = "note (correction, clarification, update)"
    verbose_name_plural = "notes: corrections, clarifications, updates"

    def has_add_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.view_article")


class ShareLinkForm(forms.Form):
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=ShareLink.MIN_DAYS,
        max_value=ShareLink.MAX_DAYS,
        initial=ShareLink.DEFAULT_DAYS,
        help_text="From 1 to 30 days. You can revoke the link at any time before that.",
    )


@admin.register(Article)
class ArticleAdmin(
    PurgeWarningsMixin, CappedCountAdminMixin, NonceMediaAdminMixin, admin.ModelAdmin
):
    form = ArticleAdminForm
    inlines = [BylineInline, SourceInline, PullQuoteInline, StoryNoteInline]
    list_display = [
        "headline",
        "section",
        "byline",
        "state",
        "published_at",
        "responses",
        "preview",
    ]
    list_filter = [StateListFilter, "section", "authors", "published_at"]
    search_fields = ["headline", "standfirst", "slug", "bylines__author__name"]
    # No date_hierarchy: its year links come from a DISTINCT over every story
    # (60 ms at 100,000); the published_at filter (today, past 7 days, this
    # month, this year) costs nothing of the sort.
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "tags"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_per_page = 50
    actions = ["publish_now", "unpublish", "send_for_review"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "standfirst", "body", "edit_version"]}),
        ("Where it appears", {"fields": ["section", "tags", "is_lead"]}),
        (
            "Hero image",
            {
                "fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"],
                "description": "Optional. With a picture, alt text is required.",
            },
        ),
        ("Publishing", {"fields": ["status", "published_at", "comments_open"]}),
        ("Record", {"fields": ["created_by", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    # --- Columns -------------------------------------------------------------

    @admin.display(description="Byline")
    def byline(self, article):
        return ", ".join(author.name for author in article.ordered_authors()) or "—"

    @admin.display(description="State", ordering="status")
    def state(self, article):
        if article.state == "Scheduled":
            return f"Scheduled ({_local_time_label(article.published_at)})"
        return article.state

    @admin.display(description="Responses", ordering="comment_count")
    def responses(self, article):
        return article.comment_count

    @admin.display(description="Preview")
    def preview(self, article):
        url = preview_url(article.pk)
        if url is None:
            return "—"
        return format_html(
            '<a href="{}" aria-label="Preview “{}”">Preview</a>', url, article.headline
        )

    @admin.display(description="Body")
    def rendered_body(self, article):
        # Sanitised again with the body field's own allowlist before it is
        # marked safe: a story saved outside the admin may not have been.
        return mark_safe(Article._meta.get_field("body").sanitize(article.body))  # noqa: S308

    def view_on_site(self, article):
        # Only a live story has a public page to show.
        if not article.is_public:
            return None
        try:
            return article.get_absolute_url()
        except NoReverseMatch:
            return None

    # --- Who may do what ----------------------------------------------------------

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if is_locked_for(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (a writer on a published story): the body as it reads,
        # not its HTML source.
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        _rendered(field) for field in options["fields"] if field != "edit_version"
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            readonly += ["published_at", "is_lead"]
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # get_form builds a new class on every call: this does not leak between users.
        form.may_publish = can_publish(request.user)
        return form

    def save_model(self, request, obj, form, change):
        # The form already refuses "Published" to writers; this is the last guard.
        if obj.status == Article.Status.PUBLISHED and not can_publish(request.user):
            raise PermissionDenied("Only editors may publish stories.")
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is StoryNote:
            for note_form in formset.forms:
                if note_form.instance.pk is None:
                    note_form.instance.created_by = request.user  # recorded, not shown
        super().save_formset(request, form, formset, change)

    def _create_formsets(self, request, obj, change):
        # A quote is checked against its source's text as posted in the same
        # form (PullQuoteFormSet.clean), so the quotes' formset is handed the
        # sources' one. Django builds them in this one (private) place.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        by_model = {formset.model: formset for formset in formsets}
        if PullQuote in by_model and Source in by_model:
            by_model[PullQuote].sources_formset = by_model[Source]
        return formsets, inline_instances

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Every quote checked again against the story as saved (issue 18 §2).
        was_scheduled = form.instance.state == "Scheduled"
        waiting = hold_for_quote_check(form.instance)
        if waiting:
            self._report_waiting_quotes(request, form.instance, waiting, was_scheduled)
        # After the inlines: the revision holds the story as saved, whole.
        note = ""
        if form.overwrote is not None:
            overwrote = form.overwrote
            note = (
                f"saved over a newer version ({overwrote.saved_by}, "
                f"{revisions.time_label(overwrote.saved_at)})"
            )
        revisions.record_revision(
            form.instance,
            by=request.user,
            before=form.before,
            summary=None if change else "created",
            note=note,
        )

    def _report_waiting_quotes(self, request, article, waiting, was_scheduled):
        speakers = ", ".join(f"{quote.speaker}’s" for quote in waiting)
        plural = "pull-quote was" if len(waiting) == 1 else "pull-quotes were"
        found = (
            f"{speakers} {plural} not found in the story’s body or source, "
            "and no editor has confirmed it yet"
        )
        if was_scheduled:
            tail = "so the story went back to In review instead of going live unchecked"
        elif article.is_public:
            tail = "the story stays live; the quote is flagged below"
        else:
            tail = "it cannot be published until an editor confirms it with a reason"
        self.message_user(request, f"{found}: {tail}.", messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        story_id = parse_number(object_id, max_digits=BIGINT_DIGITS)
        if story_id is not None:
            extra_context["preview_url"] = preview_url(story_id)
            extra_context["share_url"] = reverse("admin:articles_article_share", args=[story_id])
            article = Article.objects.filter(pk=story_id).first()
            if article is not None and request.method == "GET":
                revisions.record_opening(article, request.user)
                extra_context["opened_by_others"] = list(
                    revisions.opened_by_others(article, request.user)
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if form.conflict is not None:
            # Theirs: the story as saved now. Yours: the form as typed.
            theirs = revisions.snapshot_of(Article.objects.get(pk=obj.pk))
            formsets = [inline.formset for inline in context["inline_admin_formsets"]]
            yours = revisions.snapshot_of_form(form, formsets)
            context["conflict"] = form.conflict
            context["conflict_changes"] = compare(theirs, yours)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Preview links (articles.publishing: create_share_link, revoke_share_link) --

    def get_urls(self):
        def story_path(route, view, name):
            return path(
                f"<path:object_id>/{route}",
                self.admin_site.admin_view(view),
                name=f"articles_article_{name}",
            )

        return [
            story_path("share/", self.share_view, "share"),
            story_path("history/compare/", self.compare_view, "compare"),
            story_path("history/<int:revision_id>/restore/", self.restore_view, "restore"),
            story_path("history/purge/", self.purge_history_view, "purge_history"),
            *super().get_urls(),
        ]

    def share_view(self, request, object_id):
        """Make a preview link for a story that is not public yet (its address
        is shown once, here), and see or revoke the story's links."""
        story_id = parse_number(object_id, max_digits=BIGINT_DIGITS)
        article = Article.objects.filter(pk=story_id).first() if story_id else None
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such story.")
        may_share = can_share(request.user, article)
        form = ShareLinkForm(request.POST or None)
        new_link_url = None
        if request.method == "POST":
            if not may_share:
                raise PermissionDenied("You may make preview links only for your own stories.")
            revoke_id = parse_number(request.POST.get("revoke"), max_digits=BIGINT_DIGITS)
            if revoke_id is not None:
                link = get_object_or_404(ShareLink, pk=revoke_id, article=article)
                revoke_share_link(link, by=request.user)
                messages.success(request, "The preview link was revoked: it no longer opens.")
                return redirect(request.path)
            if form.is_valid():
                try:
                    _, path_only = create_share_link(
                        article, by=request.user, days=form.cleaned_data["days"]
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    new_link_url = request.build_absolute_uri(path_only)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview links for “{article}”",
            "opts": self.model._meta,
            "article": article,
            "form": form,
            "may_share": may_share and not article.is_public,
            "new_link_url": new_link_url,
            "links": article.share_links.select_related("created_by"),
        }
        response = TemplateResponse(request, "admin/articles/article/share.html", context)
        response["Cache-Control"] = "private, no-store"  # it may hold a new link's token
        return response

    # --- Revisions (articles.revisions; who may restore: articles.publishing) -------

    def _story_with_history(self, request, object_id):
        """The story whose history `request.user` may see, or 404 / 403."""
        story_id = parse_number(object_id, max_digits=BIGINT_DIGITS)
        article = Article.objects.filter(pk=story_id).first() if story_id else None
        if article is None or not self.has_view_permission(request, article):
            raise Http404("No such story.")
        may_change = self.has_change_permission(request, article)
        if not can_see_history(request.user, article, may_change=may_change):
            raise PermissionDenied("You may see the history of the stories you may edit.")
        return article

    def _revision(self, article, revision_id):
        revision = revisions.revision_of(article, revision_id)
        if revision is None:
            raise Http404("This story has no such revision.")
        return revision

    def _history_context(self, request, article, title, **context):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "article": article,
            "may_restore": can_restore(request.user, article),
            **context,
        }

    def history_view(self, request, object_id, extra_context=None):
        """Every revision of the story, newest first (Django's own History
        lists admin log entries; the revisions say more)."""
        article = self._story_with_history(request, object_id)
        history = list(revisions.revisions_of(article))
        context = self._history_context(
            request,
            article,
            f"History of “{article}”",
            history=history,
            may_purge=request.user.is_superuser,
        )
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def compare_view(self, request, object_id):
        """Two revisions side by side: ?from=ID&to=ID (without `from`, the
        revision before `to`; without `to`, the newest)."""
        article = self._story_with_history(request, object_id)
        history = list(revisions.revisions_of(article).values_list("pk", flat=True))
        to_id = parse_number(request.GET.get("to"), max_digits=BIGINT_DIGITS)
        from_id = parse_number(request.GET.get("from"), max_digits=BIGINT_DIGITS)
        if to_id is None and history:
            to_id = history[0]
        if from_id is None and to_id in history and history.index(to_id) + 1 < len(history):
            from_id = history[history.index(to_id) + 1]
        newer, older = self._revision(article, to_id), self._revision(article, from_id)
        if (older.date_created, older.pk) > (newer.date_created, newer.pk):
            newer, older = older, newer
        changes = compare(
            revisions.snapshot_of_stored(revisions.stored_story(article.pk, older)),
            revisions.snapshot_of_stored(revisions.stored_story(article.pk, newer)),
        )
        context = self._history_context(
            request,
            article,
            f"Compare two versions of “{article}”",
            older=older,
            newer=newer,
            changes=changes,
        )
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def restore_view(self, request, object_id, revision_id):
        """Confirm, then restore: what will change, and what cannot come back."""
        article = self._story_with_history(request, object_id)
        revision = self._revision(article, revision_id)
        if not can_restore(request.user, article):
            raise PermissionDenied("You may restore only your own drafts.")
        may_publish = can_publish(request.user)
        with_status = may_publish and request.POST.get("with_status") == "on"
        error = None
        if request.method == "POST":
            try:
                plan = restore_version(article, revision, by=request.user, with_status=with_status)
            except ValidationError as problem:
                error = " ".join(problem.messages)
            else:
                self._report_restore(request, plan)
                return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        plan = revisions.plan_restore(article, revision, with_status=with_status)
        stored = plan.stored.story
        context = self._history_context(
            request,
            article,
            f"Restore a version of “{article}”",
            revision=revision,
            plan=plan,
            error=error,
            may_publish=may_publish,
            stored_status=Article.Status(stored.get("status") or "draft").label,
            stored_time=revisions.time_label(stored.get("published_at")),
        )
        return TemplateResponse(request, "admin/articles/article/restore.html", context)

    def _report_restore(self, request, plan):
        when = revisions.time_label(plan.revision.date_created)
        self.message_user(request, f"The version of {when} was restored.", messages.SUCCESS)
        if plan.missing:
            self.message_user(
                request, "Not restored: " + "; ".join(plan.missing) + ".", messages.WARNING
            )

    def purge_history_view(self, request, object_id):
        """Superusers only: delete the story's whole history (a legal takedown)."""
        if not request.user.is_superuser:
            raise PermissionDenied("Only superusers may purge a story's history.")
        article = self._story_with_history(request, object_id)
        if request.method == "POST":
            revisions.purge_history(article, by=request.user)
            self.message_user(
                request,
                "The story's history was purged: no earlier text is kept.",
                messages.SUCCESS,
            )
            return redirect(reverse("admin:articles_article_history", args=[article.pk]))
        context = self._history_context(
            request,
            article,
            f"Purge the history of “{article}”",
            count=revisions.revisions_of(article).count(),
        )
        return TemplateResponse(request, "admin/articles/article/purge_history.html", context)

    # --- Actions: each calls a verb from articles.publishing ------------------------

    @admin.action(
        description="Publish now (a future time schedules instead)", permissions=["publish"]
    )
    def publish_now(self, request, queryset):
        outcomes = {"published": 0, "scheduled": 0}
        for article in queryset:
            if article.status == Article.Status.PUBLISHED:
                if article.state == "Scheduled":
                    # Never release a scheduled (perhaps embargoed) story by a bulk
                    # action: its time is changed in the story itself.
                    self.message_user(
                        request,
                        f"“{article.headline}” is already scheduled for "
                        f"{_local_time_label(article.published_at)} and was left as it is; "
                        "to publish it sooner, change its time.",
                        messages.WARNING,
                    )
                continue
            try:
                publish_article(article, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            outcomes["scheduled" if article.state == "Scheduled" else "published"] += 1
        self._report(request, outcomes)

    @admin.action(description="Unpublish (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        unpublished = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            unpublish_article(article, by=request.user)
            unpublished += 1
        self._report(request, {"unpublished": unpublished})

    @admin.action(description="Submit for review", permissions=["change"])
    def send_for_review(self, request, queryset):
        submitted = 0
        for article in queryset.filter(status=Article.Status.DRAFT):
            submit_for_review(article, by=request.user)
            submitted += 1
        self._report(request, {"submitted for review": submitted})

    def _report(self, request, outcomes):
        done = [
            f"{count} {'story' if count == 1 else 'stories'} {verb}"
            for verb, count in outcomes.items()
            if count
        ]
        if done:
            self.message_user(request, "; ".join(done) + ".", messages.SUCCESS)
        else:
            self.message_user(request, "Nothing to change in the selected stories.", messages.INFO)


@admin.register(Section)
class SectionAdmin(PurgeWarningsMixin, admin.ModelAdmin):
    form = SectionAdminForm
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(PurgeWarningsMixin, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "role"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(PurgeWarningsMixin, admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses: made by the site itself when a story, section, tag or
    author moves or a story is taken down, and by editors by hand (a page
    that lived elsewhere, an old site's links). Validation in Redirect.clean:
    a path on this site, no loop, nothing under the admin."""

    list_display = ["old_address", "target", "is_prefix", "updated_at"]
    list_filter = ["is_gone", "is_prefix", "query_key"]
    search_fields = ["old_path", "new_path", "query_value"]
    fields = ["old_path", "query_key", "query_value", "new_path", "is_gone", "is_prefix"]
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="leads to")
    def target(self, obj):
        return "410 Gone" if obj.is_gone else obj.new_path


@admin.register(ShareLink)
class ShareLinkAdmin(admin.ModelAdmin):
    """Every preview link: who made it, when, until when, how often it was
    opened. Made from a story's page ("Share a preview"), where its address is
    shown once; revoked here or there."""

    list_display = [
        "article",
        "state",
        "created_by",
        "created_at",
        "expires_at",
        "use_count",
        "last_used_at",
    ]
    list_filter = ["revoked_at"]
    search_fields = ["article__headline"]
    readonly_fields = [
        "article",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "use_count",
        "last_used_at",
    ]
    actions = ["revoke"]
    show_facets = admin.ShowFacets.NEVER

    def has_add_permission(self, request):
        return False  # from the story's page: the token is shown once, there

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected preview links")
    def revoke(self, request, queryset):
        revoked = 0
        for link in queryset.select_related("article"):
            if can_share(request.user, link.article):
                revoke_share_link(link, by=request.user)
                revoked += 1
        messages.success(request, f"{revoked} preview link(s) revoked.")
