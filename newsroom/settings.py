"""Newsroom's one settings module, configured from the environment (12-factor).

Every variable read here is documented in README.md ("Configuration"). Nothing
secret has a default: with DEBUG off, a missing SECRET_KEY stops start-up.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Newsroom refuses to start with DEBUG off and no "
            "SECRET_KEY: set SECRET_KEY to a long random string (for example the output "
            'of `python -c "import secrets; print(secrets.token_urlsafe(50))"`), '
            "or set DEBUG=1 for local development."
        )
    # Development only: a key that is useless anywhere else, never used in production.
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public name and address of the publication: used in feeds, JSON-LD
# (publisher), Open Graph and e-mails, where there is no request to ask.
SITE_NAME = env.str("SITE_NAME", default="Newsroom")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_DESCRIPTION = env.str(
    "SITE_DESCRIPTION", default="Independent local news, checked and sourced."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before staticfiles, so runserver serves static files the way production does.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_prose_editor",
    "imagekit",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    # A story's revisions: its tables and models only; articles/revisions.py
    # records and restores them (never reversion's own raw-save revert).
    "reversion",
    # Ours. core and pagecache import no other app of ours; comments depends
    # on articles, never the reverse (make lint holds these: .importlinter).
    "core",
    "pagecache",
    # comments before articles: its `load_demo` extends (overrides) articles'.
    "comments",
    "articles",
]

MIDDLEWARE = [
    # First: /healthz and /readyz for load balancers, before any host check,
    # HTTPS redirect or session (core/health.py says why that is safe).
    "core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Response headers: Content-Security-Policy (the admin's own policy under
    # ADMIN_URL) and Permissions-Policy. core/security.py says why.
    "core.security.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Old WordPress query addresses (/?p=123) before the page cache, which
    # would answer them as the home page (articles/redirects.py).
    "articles.redirects.QueryAddressRedirectMiddleware",
    # Anonymous readers' cached pages, answered here: inside the security
    # headers above, before sessions, CSRF, auth and the view (a hit costs
    # none of them). pagecache/, docs/ARCHITECTURE.md "Caching".
    "pagecache.middleware.PageCacheMiddleware",
    # Outermost of ours: a page for a reader with a pending response or
    # remembered details is personal and must never reach a shared cache.
    "comments.middleware.PrivateCommenterPagesMiddleware",
    # Before CSRF (which reads the body): an oversized response gets a clear 413.
    "comments.middleware.CommentPostSizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 404 at an address a story, section or tag once had: its 301 or 410
    # (articles/redirects.py; costs nothing on a page that exists).
    "articles.redirects.RedirectFallbackMiddleware",
    # Innermost of ours: a view that loses the database answers a friendly 503
    # (core/outage.py), which every middleware above still dresses.
    "core.outage.DatabaseOutageMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite is the embedded default (`make run`); PostgreSQL is production's and
# CI's: DATABASE_URL=postgres://user@host:5432/name
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
# Persistent connections with DEBUG off (10 minutes), checked before each
# request's first query: a new PostgreSQL connection for every request cost
# the story page two thirds of its throughput (85 against 266 requests/s,
# issue 15 §11). DEBUG keeps Django's 0 (runserver's thread per request).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0 if DEBUG else 600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with prepared statements and a health check that costs
    # no round trip while the server has said nothing (core/postgresql).
    DATABASES["default"]["ENGINE"] = "core.postgresql"
    # Off behind a pooler that shares server connections between clients
    # (PgBouncer in transaction mode).
    DATABASES["default"]["PREPARED_STATEMENTS"] = env.bool(
        "DATABASE_PREPARED_STATEMENTS", default=True
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------
# Every server process must see the same cache (page purges, the comment flood
# limit), so: Redis when REDIS_URL is set; otherwise Django's database cache
# (`createcachetable`) when DEBUG is off; local memory only for the
# single-process development server (and tests). CACHE_BACKEND overrides.
REDIS_URL = env.str("REDIS_URL", default="")
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="newsroom")
CACHE_BACKEND = env.str(
    "CACHE_BACKEND", default="redis" if REDIS_URL else ("locmem" if DEBUG else "database")
)
# Django's RedisCache, but a dead Redis is a miss, logged, never an error: the
# site serves from the database (core/cache.py). Fail fast, then leave Redis
# alone for a few seconds (issue 8).
REDIS_CACHE = {
    "BACKEND": "core.cache.FailSoftRedisCache",
    "LOCATION": REDIS_URL,
    "OPTIONS": {
        "socket_connect_timeout": 0.5,
        "socket_timeout": 0.5,
        "retry_after": env.float("CACHE_RETRY_AFTER_SECONDS", default=5),
    },
}
CACHES = {
    "default": {
        "redis": REDIS_CACHE,
        # Django keeps 300 entries by default in these two, then drops a third:
        # too few for the page cache (a page of ~60 KB per address).
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "locmem": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }[CACHE_BACKEND]
    | {"KEY_PREFIX": CACHE_KEY_PREFIX},
    # Rate limits (the comment flood limit and spam allowance, comments/flood.py)
    # in a store of their own, where no cull or purge of page entries can erase
    # them (issue 15 §1): the database cache drops a third of its keys in key
    # order when full, and "newsroom:1:comments:flood:…" sorted before every
    # page, so a crawl reset every limit. Redis: the same server, a key prefix
    # of their own. The database: a table of its own, with room for every
    # count that can be live at once (a count lives an hour at most; a cull
    # deletes the expired ones first), and an `incr` that keeps a count's expiry
    # and is atomic (core/dbcache.py). Local memory, its own, for the
    # development server and tests. RATELIMIT_BACKEND overrides.
    "ratelimit": {
        "redis": REDIS_CACHE,
        "database": {
            "BACKEND": "core.dbcache.CounterDatabaseCache",
            "LOCATION": "newsroom_ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "locmem": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }[env.str("RATELIMIT_BACKEND", default=CACHE_BACKEND)]
    # Under the cache's prefix (a script that deletes "<prefix>:*" deletes these too).
    | {"KEY_PREFIX": f"{CACHE_KEY_PREFIX}:ratelimit"},
}
# The page cache (anonymous readers' whole pages) and the fragment cache (parts
# of a story's page, for readers who bypass the page cache), both purged
# exactly: pagecache/, docs/ARCHITECTURE.md "Caching". Off (0) only
# to measure a cold render (make bench) or to rule the caches out.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)
FRAGMENT_CACHE = env.bool("FRAGMENT_CACHE", default=True)
# Seconds an entry may live at most. Purges are exact, so this only bounds memory.
PAGE_CACHE_TTL = env.int("PAGE_CACHE_TTL", default=600)
# s-maxage: how long a shared cache (nginx, a CDN) may keep a page. We cannot
# purge those, so it stays short: a change reaches every reader within it.
PAGE_CACHE_SHARED_MAX_AGE = env.int("PAGE_CACHE_SHARED_MAX_AGE", default=1)

# --- Tasks (Django's Tasks API through the django-tasks backport) ----------
# "immediate" runs a task in-process right after it is enqueued (development,
# tests); "database" stores it for `manage.py db_worker` (production).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# A moderators' email that fails (mail server down or slow) is tried again
# after each of these delays in turn, in seconds, then given up (logged).
# Needs a backend that can run a task later (database); see comments/tasks.py.
NOTIFY_RETRY_DELAYS = env.list(
    "NOTIFY_RETRY_DELAYS", cast=int, default=[60, 300, 900, 3600, 3 * 3600, 6 * 3600]
)

# --- Passwords and auth ---------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Sessions (signed-in staff) read from the shared cache, written through to
# the database: a signed-in page costs no session query, and a cache that
# loses them (evicted, Redis restarted) signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The admin's address, e.g. ADMIN_URL=newsdesk-4f7c/ (default admin/): one
# place for urls.py, robots.txt and the reserved section slugs. Moving it
# keeps drive-by scanners off the login page; the throttle below is what
# actually protects it.
ADMIN_URL = env.str("ADMIN_URL", default="admin/").strip("/") + "/"

# --- Login throttling (django-axes) -------------------------------------------
# Failed admin sign-ins are counted per client IP address (the address
# core/client.py reads, behind COMMENTS_TRUSTED_PROXY_COUNT proxies; an IPv6
# client by its /COMMENTS_IPV6_PREFIX network), and per username at that
# address; after LOGIN_FAILURE_LIMIT failures either way that address is
# refused (429) for LOGIN_COOLOFF_MINUTES. Never by username alone: a stranger
# cannot lock an editor out of their own account, and one address trying many
# usernames (password spraying) is caught. A successful sign-in forgets only
# that username's failures from that address (core/security.py:
# LoginThrottleHandler; issue 15 §3). Every failure and lockout is logged
# (logger "axes") and listed in the admin for superusers.
AUTHENTICATION_BACKENDS = [
    "core.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# axes' database handler (no cache needed), with its reset on success narrowed.
AXES_HANDLER = "core.security.LoginThrottleHandler"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", ["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "core.security.login_client_ip"
AXES_USERNAME_CALLABLE = "core.security.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# --- Internationalisation -------------------------------------------------
# Dates are stored in UTC and shown in TIME_ZONE.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-gb")
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed, hashed files in production; plain files while developing and
    # testing so a missing collectstatic never breaks a page there.
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
# Uploads: Pillow refuses images over this many pixels (decompression bombs).
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
MAX_UPLOAD_SIZE = env.int("MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

# --- Email ----------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587 ; the console
# backend (mail printed to the terminal) when unset.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="newsroom@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Security -------------------------------------------------------------
# HTTPS-only settings are on whenever DEBUG is off. HTTPS_ONLY=0 turns them off
# for a plain-HTTP run on loopback (benchmarks, load tests); never in production.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS_ONLY)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
# Behind a TLS-terminating proxy, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https
if env.str("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): the public site runs only our own
# static scripts, so no inline script can run, whatever a payload manages to
# smuggle into a page. Bootstrap's CSS draws form controls with data: SVGs
# (img-src data:); images may come from MEDIA_URL's host. The admin has its
# own policy (core/security.py: ADMIN_CONTENT_SECURITY_POLICY).
_MEDIA_ORIGIN = [MEDIA_URL] if MEDIA_URL.startswith(("https://", "http://")) else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_MEDIA_ORIGIN],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "upgrade-insecure-requests": HTTPS_ONLY,
        **({"report-uri": [env.str("CSP_REPORT_URI")]} if env.str("CSP_REPORT_URI", "") else {}),
    }
}
# Permissions-Policy: no page of ours uses these browser features; nor may
# anything injected into one.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Forms ----------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging: everything to stdout/stderr, where a process manager collects it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# --- Newsroom ---------------------------------------------------------------
ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=12)
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True
# How many revisions each story keeps, newest first (articles/revisions.py);
# unset or 0: all of them.
REVISIONS_KEEP = env.int("REVISIONS_KEEP", default=0)
# "Opened by NAME at TIME" on a story's admin page, for this many minutes.
STORY_OPENED_MINUTES = env.int("STORY_OPENED_MINUTES", default=15)

# --- Comments -----------------------------------------------------------------
# "Leave a Response" (comments/). The policy that reads these lives in
# comments/moderation.py; every variable is in README's configuration table.
# Responses close this many days after publication (0: never), besides each
# story's own "comments open" flag. Old stories draw spam, not debate.
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=90)
# Publish at once a response whose email already has an approved one (WordPress's
# "Comment author must have a previously approved comment"). Off: all wait.
COMMENTS_AUTO_APPROVE_KNOWN = env.bool("COMMENTS_AUTO_APPROVE_KNOWN", default=False)
# Hold a response with more than this many links (WordPress's default: 2).
COMMENTS_MAX_LINKS = env.int("COMMENTS_MAX_LINKS", default=2)
# Whole words or phrases, comma-separated: held for moderation / kept as spam.
COMMENTS_MODERATION_WORDS = env.list("COMMENTS_MODERATION_WORDS", default=[])
COMMENTS_DISALLOWED_WORDS = env.list("COMMENTS_DISALLOWED_WORDS", default=[])
# The signed timestamp in the form: posted sooner than this after the form was
# shown is a bot; older than the maximum age is a replayed form. Both: spam.
COMMENTS_FORM_MIN_SECONDS = env.int("COMMENTS_FORM_MIN_SECONDS", default=2)
COMMENTS_FORM_MAX_AGE_SECONDS = env.int("COMMENTS_FORM_MAX_AGE_SECONDS", default=24 * 60 * 60)
# Flood limit on accepted responses, per IP address and per email, through the
# cache (shared by every process when REDIS_URL is set). WordPress's defaults.
COMMENTS_FLOOD_INTERVAL_SECONDS = env.int("COMMENTS_FLOOD_INTERVAL_SECONDS", default=15)
COMMENTS_FLOOD_PER_HOUR = env.int("COMMENTS_FLOOD_PER_HOUR", default=30)
# Posts caught as spam (honeypot, too fast, a stale form, a disallowed word) are
# kept for moderators, up to this many a minute from one client; past it they
# are refused and not stored (0: no limit). comments/flood.py, issue 15 §2.
COMMENTS_SPAM_PER_MINUTE = env.int("COMMENTS_SPAM_PER_MINUTE", default=10)
# How many reverse proxies in front of Django append to X-Forwarded-For (nginx:
# 1). 0 trusts only REMOTE_ADDR: a client can write any X-Forwarded-For it likes.
COMMENTS_TRUSTED_PROXY_COUNT = env.int("COMMENTS_TRUSTED_PROXY_COUNT", default=0)
# An IPv6 client counts by its /N network for every limit (core/client.py:
# client_network): a /64 is usually one household or one server.
COMMENTS_IPV6_PREFIX = env.int("COMMENTS_IPV6_PREFIX", default=64)
# `manage.py anonymise_comment_ips` blanks IP addresses and user agents older than this.
COMMENTS_IP_RETENTION_DAYS = env.int("COMMENTS_IP_RETENTION_DAYS", default=30)
# Who is emailed about responses awaiting moderation (comma-separated);
# empty: every active member of the Moderators group with an email address.
COMMENTS_MODERATOR_EMAILS = env.list("COMMENTS_MODERATOR_EMAILS", default=[])
# At most one moderators' email in this many seconds: one digest of every response
# that arrived since the last (comments/tasks.py). 0: one email per response.
COMMENTS_NOTIFY_INTERVAL_SECONDS = env.int("COMMENTS_NOTIFY_INTERVAL_SECONDS", default=300)
COMMENTS_PER_PAGE = env.int("COMMENTS_PER_PAGE", default=50)
