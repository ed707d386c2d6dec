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
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.numbers import BIGINT_DIGITS, parse_number
from core.security import NonceMediaAdminMixin
from pagecache.admin import PurgeWarningsMixin

from .forms import (
    ArticleAdminForm,
    AuthorAdminForm,
    BylineInlineForm,
    PullQuoteInlineForm,
    SectionAdminForm,
    SourceInlineForm,
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
    Tag,
)
from .pagination import CappedCountAdminMixin
from .publishing import (
    can_publish,
    can_share,
    create_share_link,
    publish_article,
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
    model = PullQuote
    form = PullQuoteInlineForm
    extra = 0
    fields = ["text", ("speaker", "speaker_role"), ("source", "after_paragraph")]

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
    inlines = [BylineInline, SourceInline, PullQuoteInline]
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
        (None, {"fields": ["headline", "slug", "standfirst", "body"]}),
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
            (name, {**options, "fields": [_rendered(field) for field in options["fields"]]})
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        story_id = parse_number(object_id, max_digits=BIGINT_DIGITS)
        if story_id is not None:
            extra_context["preview_url"] = preview_url(story_id)
            extra_context["share_url"] = reverse("admin:articles_article_share", args=[story_id])
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Preview links (articles.publishing: create_share_link, revoke_share_link) --

    def get_urls(self):
        share = path(
            "<path:object_id>/share/",
            self.admin_site.admin_view(self.share_view),
            name="articles_article_share",
        )
        return [share, *super().get_urls()]

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
