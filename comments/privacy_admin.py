"""The Comments admin's privacy actions (mixed into CommentAdmin):

- "Export data of the selected commenters": a JSON download of every response
  posted with the selected responses' email addresses (needs view permission).
- "Erase data of the selected commenters": after a confirmation page, those
  responses are anonymised (needs delete permission: it cannot be undone).

Both act on the commenters, not only the selected rows: every response with
the same address (compared as comments/emails.py says), whatever its status.
The rules live in comments/privacy.py.
"""

import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import ngettext

from . import privacy


def _emails(queryset):
    """One address per commenter of the selected rows (comments/emails.py); none for erased ones."""
    addresses = {}
    for key, email in queryset.order_by("author_email_normalised", "pk").values_list(
        "author_email_normalised", "author_email"
    ):
        if key:
            addresses.setdefault(key, email)
    return list(addresses.values())


class CommenterDataActions:
    @admin.action(description="Export data of the selected commenters", permissions=["view"])
    def export_commenter_data(self, request, queryset):
        data = privacy.export_commenter_data(_emails(queryset))
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"commenter-data-{timezone.now():%Y%m%d-%H%M%S}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description="Erase data of the selected commenters", permissions=["delete"])
    def erase_commenter_data(self, request, queryset):
        emails = _emails(queryset)
        if request.POST.get("post") == "yes":
            count = privacy.erase_commenter_data(emails)
            self.message_user(
                request,
                ngettext("%(count)d response anonymised.", "%(count)d responses anonymised.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None  # back to the list
        return TemplateResponse(
            request,
            "admin/comments/comment/erase_commenter_data.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase data of the selected commenters",
                "opts": self.model._meta,
                "emails": emails,
                "responses": privacy.comments_by(emails),
                "queryset": queryset,
                "anonymous_name": privacy.ANONYMOUS_NAME,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and privacy.is_erased(obj):
            # An erased commenter stays erased (and the form need not ask for an email).
            fields = [*fields, "author_name", "author_email", "author_url"]
        return fields
