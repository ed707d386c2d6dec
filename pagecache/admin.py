"""What the admin tells an editor when a purge could not be made (issue 15 §4).

Not a ModelAdmin of our own (the page cache has no models): a mixin for the
apps' ModelAdmins whose saves, actions and deletions purge cached pages. It
wraps the whole view, so the purges that run after its commit are counted
too (`purges.purge_report`), and adds the report's warning to the messages.
"""

from django.contrib import messages

from .purges import purge_report


class PurgeWarningsMixin:
    def changelist_view(self, request, extra_context=None):  # the actions
        return self._warning_if_unpurged(request, super().changelist_view, request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._warning_if_unpurged(
            request, super().changeform_view, request, object_id, form_url, extra_context
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self._warning_if_unpurged(
            request, super().delete_view, request, object_id, extra_context
        )

    def _warning_if_unpurged(self, request, view, *args):
        with purge_report() as report:
            response = view(*args)
        if report.warning:
            self.message_user(request, report.warning, messages.WARNING)
        return response
