"""The two cookies a commenter's browser may carry, signed so they cannot be forged.

`newsroom_pending`: the ids of the responses this browser posted that still
await moderation, so the article page can show them to their author, and to
nobody else. A signed cookie rather than the session: an anonymous reader gets
no session row, and the cookie tells any page cache to step aside (see
comments/middleware.py and docs/ARCHITECTURE.md).

`newsroom_commenter`: name, email and website, only when the reader ticked
"Save my name, email, and website in this browser for the next time I
comment.", to pre-fill the form. Unticked, it is deleted.

Both are HttpOnly (no script needs them), SameSite=Lax and Secure under HTTPS.
"""

from django.conf import settings
from django.core import signing

from core.numbers import BIGINT_DIGITS, parse_number

PENDING_COOKIE = "newsroom_pending"
PENDING_SALT = "comments.pending"
PENDING_MAX_AGE = 30 * 24 * 60 * 60
# A browser remembers its latest few pending responses; older ones are long
# moderated anyway.
PENDING_MAX_IDS = 20

REMEMBER_COOKIE = "newsroom_commenter"
REMEMBER_SALT = "comments.commenter"
REMEMBER_MAX_AGE = 365 * 24 * 60 * 60
REMEMBERED_FIELDS = ("author_name", "author_email", "author_url")


def _cookie_options(max_age):
    return {
        "max_age": max_age,
        "httponly": True,
        "samesite": "Lax",
        "secure": settings.HTTPS_ONLY,
    }


def pending_ids(request):
    """Ids of this browser's pending responses: [] when absent, expired or tampered."""
    raw = request.get_signed_cookie(
        PENDING_COOKIE, default="", salt=PENDING_SALT, max_age=PENDING_MAX_AGE
    )
    ids = [parse_number(part, max_digits=BIGINT_DIGITS) for part in raw.split(".")]
    return [i for i in ids if i is not None][-PENDING_MAX_IDS:]


def is_pending_cookie(value):
    """Whether a `newsroom_pending` value is one we signed, and not expired:
    a forged one is not personal, and gets the anonymous cached page (apps.py
    registers this with the page cache; issue 15 §9)."""
    try:
        signing.get_cookie_signer(salt=PENDING_COOKIE + PENDING_SALT).unsign(
            value, max_age=PENDING_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is one too
        return False
    return True


def is_remember_cookie(value):
    """Whether a `newsroom_commenter` value is one we signed (see above)."""
    try:
        data = signing.loads(value, salt=REMEMBER_SALT, max_age=REMEMBER_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict)


def add_pending_id(request, response, comment_id):
    ids = [i for i in pending_ids(request) if i != comment_id] + [comment_id]
    response.set_signed_cookie(
        PENDING_COOKIE,
        # Dots, not commas: a comma would have to be quoted in a cookie.
        ".".join(str(i) for i in ids[-PENDING_MAX_IDS:]),
        salt=PENDING_SALT,
        **_cookie_options(PENDING_MAX_AGE),
    )


def remembered_details(request):
    """The name, email and website this browser asked us to remember, or {}."""
    try:
        data = signing.loads(
            request.COOKIES.get(REMEMBER_COOKIE, ""), salt=REMEMBER_SALT, max_age=REMEMBER_MAX_AGE
        )
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {field: str(data[field]) for field in REMEMBERED_FIELDS if data.get(field)}


def remember_details(response, cleaned_data):
    details = {field: cleaned_data.get(field) or "" for field in REMEMBERED_FIELDS}
    # signing.dumps: URL-safe base64, so the value needs no cookie quoting.
    response.set_cookie(
        REMEMBER_COOKIE,
        signing.dumps(details, salt=REMEMBER_SALT, compress=True),
        **_cookie_options(REMEMBER_MAX_AGE),
    )


def forget_details(response):
    response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
