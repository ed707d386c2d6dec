"""Project-wide security glue the settings point at (issue 7).

- `ContentSecurityPolicyMiddleware`: django-csp's middleware, with the admin's
  own policy under settings.ADMIN_URL (`NonceMediaAdminMixin` for the story
  editor's import map).
- `LoginThrottleBackend`, `LoginThrottleHandler`, `login_client_ip` and
  `login_username`: django-axes' throttle of admin sign-ins, counting by the
  client address core/client.py reads (an IPv6 client by its /64), and by
  username at that address; a success forgets only its own username's
  failures (issue 15 §3).
- `server_error`: the 500 view (newsroom/urls.py's handler500) under the CSP.

The policies themselves are settings (CONTENT_SECURITY_POLICY,
PERMISSIONS_POLICY, AXES_*), documented in README's "Security and privacy".
"""

import copy
import sys

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE
from csp.decorators import csp_update
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.views import defaults
from js_asset import Media

from core import outage
from core.client import client_ip, client_network

# The editor (Tiptap, inside django-prose-editor 0.28.0's editor.js) injects
# its core stylesheet (`white-space: pre-wrap` and the like, which ProseMirror
# needs) as a <style> element with no way to pass it a nonce: allowed by the
# hash of exactly that text. Upgrading django-prose-editor may change it; the
# browser test tests/e2e/test_csp_browser.py then reports the violation (and
# Chromium's console prints the new hash).
PROSE_EDITOR_CORE_CSS_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def admin_content_security_policy():
    """The admin's policy: the public one, plus a per-request nonce for scripts.

    django-prose-editor declares its modules in an inline import map
    (`<script type="importmap">`, rendered by django-js-asset), which CSP
    treats as an inline script: `NonceMediaAdminMixin` gives it the nonce.
    The editor's own stylesheet is allowed by its hash. Nothing else inline
    may run or style a page, in the admin as on the public site.
    """
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    policy["script-src"] = [*policy["script-src"], NONCE]
    policy["style-src"] = [*policy["style-src"], PROSE_EDITOR_CORE_CSS_HASH]
    return policy


class NonceMediaAdminMixin:
    """For a ModelAdmin whose form has django-prose-editor's widget: the change
    page's media carry the request's CSP nonce, so the import map may run."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)


# Attributes django-csp's decorators set on a response (csp_update, csp_replace,
# csp_exempt...): such a response has a policy of its own.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)
# The site's own policy headers, built once per process (django-csp builds them
# per response: about a tenth of a page-cache hit's time in Django). Forgotten
# on any changed setting.
_site_policy_headers = {}


@receiver(setting_changed)
def _forget_site_policy(**kwargs):
    _site_policy_headers.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under ADMIN_URL.

    A per-path policy here rather than decorators on the admin's views: the
    admin's URLs come from Django and third-party apps, and every one of them
    must get it. A response with nothing of its own (no nonce used, no
    decorator's policy, not the admin) gets the site's policy as built once.
    """

    def process_response(self, request, response):
        if not self._has_site_policy(request, response):
            return super().process_response(request, response)
        if not _site_policy_headers:
            _site_policy_headers.update(
                (header, value)
                for header, value in (
                    (HEADER, build_policy()),
                    (HEADER_REPORT_ONLY, build_policy(report_only=True)),
                )
                if value
            )
        for header, value in _site_policy_headers.items():
            if header not in response:
                response[header] = value
        # As django-csp does once the header is written: a nonce asked for
        # after this would not be in it, so asking is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _has_site_policy(request, response):
        return (
            getattr(request, "_csp_nonce", None) is None
            and not any(getattr(response, name, None) for name in _PER_RESPONSE_POLICY)
            and not request.path_info.startswith("/" + settings.ADMIN_URL)
            and not settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
            and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            and not (settings.DEBUG and response.status_code in (404, 500))
        )

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith("/" + settings.ADMIN_URL)
        ):
            parts.config = admin_content_security_policy()
        return parts


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' guard in front of ModelBackend, for sign-ins through a web
    request (the admin's login form always passes one).

    authenticate() without a request (the shell, a script, the test client's
    login()) is not a sign-in over the web: there is no client address to
    count and nobody to throttle, so it is left to ModelBackend rather than
    refused with axes' error.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler, except for what a successful sign-in
    forgets: only the failures under that username from that address.

    Failures count twice (settings.AXES_LOCKOUT_PARAMETERS): by address, and
    by username at that address; either reaching the limit locks. Axes'
    own reset on success deletes every attempt matching either, so all the
    address's failures, whichever account they targeted: a writer could
    guess at an editor's password four times, sign in as themselves, and
    start again (issue 15 §3). Here a sign-in as "wr" forgets "wr"'s typos
    and nothing else; the guesses at "ed" stay counted, against the address
    as against "ed" there, until the cool-off lets them go.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def login_client_ip(request):
    """The address failed sign-ins are counted by: the same one responses
    record, so X-Forwarded-For counts only behind COMMENTS_TRUSTED_PROXY_COUNT
    proxies and a client cannot dodge the throttle by forging it; an IPv6
    client by its network (core.client.client_network: a /64 by default), so
    it cannot step around the limit by changing the low bits of its address.
    That network ("2001:db8:1:2::/64") is what axes records and what
    `manage.py axes_reset_ip` takes."""
    return client_network(client_ip(request))


# The length of django-axes' username column.
AXES_USERNAME_MAX_LENGTH = 255


def login_username(request, credentials):
    """The username a sign-in attempt is recorded under: as typed, without NUL
    characters and cut to axes' column, which PostgreSQL enforces. A longer
    username is nobody's, but recording it as sent made the login page fail
    with a 500 (found by tests/security/test_property_urls.py)."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username")
    if username is None:
        return None
    return str(username).replace("\x00", "")[:AXES_USERNAME_MAX_LENGTH]


@csp_update({"style-src": ["'unsafe-inline'"]})
def server_error(request, template_name="500.html"):
    """Django's 500 view, allowed the inline <style> of templates/500.html: that
    page must not depend on static files (they may be what failed), and it is
    rendered with an empty context, so nothing in it comes from a visitor.

    The database lost outside a view (a middleware saving a session, say) is
    the outage's 503, as core/outage.py's middleware answers inside one."""
    if outage.is_database_outage(sys.exc_info()[1]):
        return outage.unavailable(request)
    return defaults.server_error(request, template_name=template_name)
