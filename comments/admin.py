"""The moderators' desk: the Comments list opens on the responses awaiting moderation.

Every status change goes through the verbs in comments/moderation.py (who and
when recorded, the story's count recomputed, cached pages purged), whether it
comes from a bulk action, the change page or a deletion. A purge the cache did
not take is told as a warning beside the usual message (PurgeWarningsMixin).
"""

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from articles.pagination import CappedCountAdminMixin
from pagecache.admin import PurgeWarningsMixin

from . import moderation
from .models import Comment
from .privacy_admin import CommenterDataActions

LINE_BREAK = mark_safe("<br>")


class StatusFilter(admin.SimpleListFilter):
    """Status, defaulting to "Awaiting moderation": the queue is what a moderator opens."""

    title = "status"
    parameter_name = "status"
    default = Comment.Status.PENDING
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (self.ALL, "All")]

    def value(self):
        return super().value() or self.default

    def choices(self, changelist):
        # No separate "All" entry from Django: ours is in lookups(), since
        # "no parameter" means the default filter here.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == self.ALL:
            return queryset
        return queryset.filter(status=self.value())


@admin.register(Comment)
class CommentAdmin(
    PurgeWarningsMixin, CappedCountAdminMixin, CommenterDataActions, admin.ModelAdmin
):
    # A million responses: counts are capped (CappedCountAdminMixin), and the
    # queue is walked newest first by comment_queue_idx (status, -created_at).
    # What a moderator decides on comes first (the response, who wrote it, why
    # it was held), so it fits beside the filters at 1280 px; the story's
    # headline is cut short, last.
    list_display = ["excerpt", "commenter", "status", "reasons", "created_at", "story"]
    list_display_links = ["excerpt"]
    list_filter = [StatusFilter, "created_at", "article__section"]
    search_fields = ["author_name", "author_email", "body", "ip_address"]
    # No date_hierarchy: its year links come from a DISTINCT over the whole
    # queue (60 ms with 100,000 pending); the created_at filter does the job.
    # The privacy actions come from CommenterDataActions (comments/privacy_admin.py).
    actions = ["approve", "reject", "spam", "export_commenter_data", "erase_commenter_data"]
    list_per_page = 50
    # What moderators may not change: where the response was posted, and the record.
    RECORD = ["created_at", "reasons", "moderated_at", "moderated_by", "ip_address", "user_agent"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "article",
                    "parent",
                    "status",
                    "body",
                    "author_name",
                    "author_email",
                    "author_url",
                ]
            },
        ),
        ("Moderation record", {"fields": RECORD}),
    ]
    readonly_fields = ["article", "parent", *RECORD]

    @admin.display(description="comment")
    def excerpt(self, comment):
        return comment.excerpt

    @admin.display(description="commenter", ordering="author_name")
    def commenter(self, comment):
        """Name, email and website, one above the other. The website is plain
        text: a moderator should not be one click from a spammer's page."""
        lines = [format_html("<strong>{}</strong>", comment.author_name), comment.author_email]
        if comment.author_url:
            lines.append(comment.author_url)
        return format_html_join(LINE_BREAK, "{}", ((line,) for line in lines))

    @admin.display(description="story", ordering="article__headline")
    def story(self, comment):
        return comment.short_headline

    @admin.display(description="reasons")
    def reasons(self, comment):
        """What the anti-spam rules found, e.g. "max links: 3 links"."""
        if not comment.moderation_reasons:
            return "–"
        return format_html_join(
            LINE_BREAK,
            "{}: {}",
            (
                (reason.get("rule", "").replace("_", " "), reason.get("match", ""))
                for reason in comment.moderation_reasons
                if isinstance(reason, dict)
            ),
        )

    def changelist_view(self, request, extra_context=None):
        # The queue is a wide table: without the admin's app sidebar (the
        # breadcrumbs still lead back) every column fits beside the filters at
        # 1280 px, so a moderator sees who wrote what, and why it was held,
        # without scrolling sideways.
        extra_context = {"is_nav_sidebar_enabled": False, **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_queryset(self, request):
        # The story's headline is in every row and in a response's name (its
        # change page's title and breadcrumb): one join, not a query each.
        return super().get_queryset(request).select_related("article")

    def has_add_permission(self, request):
        # Responses come from readers, through the form under each story.
        return False

    # --- Actions: the moderation verbs ---

    def _act(self, request, queryset, verb, done):
        count = verb(queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d comment %(done)s.", "%(count)d comments %(done)s.", count)
            % {"count": count, "done": done},
            messages.SUCCESS,
        )

    @admin.action(description="Approve selected comments", permissions=["change"])
    def approve(self, request, queryset):
        self._act(request, queryset, moderation.approve_comments, "approved")

    @admin.action(description="Reject selected comments", permissions=["change"])
    def reject(self, request, queryset):
        self._act(request, queryset, moderation.reject_comments, "rejected")

    @admin.action(description="Mark selected comments as spam", permissions=["change"])
    def spam(self, request, queryset):
        self._act(request, queryset, moderation.mark_spam, "marked as spam")

    # --- The change page and deletions go through the verbs too ---

    def save_model(self, request, obj, form, change):
        new_status = obj.status
        if "status" in form.changed_data:
            obj.status = form.initial["status"]  # the verb below records the change
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data:
            moderation.set_comment_status(obj, new_status, by=request.user)
            obj.status = new_status
        else:
            moderation.comments_edited([obj.article_id])

    def delete_model(self, request, obj):
        moderation.delete_comments(Comment.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        moderation.delete_comments(queryset)
