"""What readers get, saved and compared: the guard for changes that must
change nothing (issue 14, the house plan).

    python -m bench.snapshot save DIR      # every page below into DIR
    python -m bench.snapshot compare DIR   # the same pages now, against DIR

Each run builds its own SQLite database in a temporary folder, with the clock
frozen at one instant and a fixed SECRET_KEY, loads the demo (`load_demo`)
and fetches every kind of public page through Django's test client:
anonymous and signed in, the response form's frame, a refused post (422),
the feeds, the sitemap and robots.txt. What is different on every run for a
reason of its own (CSRF tokens, the form's signed time, CSP nonces, the
session's cookie) is masked. `compare` prints a unified diff for each page
that differs and exits 1 if any does; nothing differs: exit 0.

Run `save` on the tree before a change and `compare` after it; a difference
is either a mistake or explained in the commit.
"""

import argparse
import datetime
import difflib
import os
import re
import sys
import tempfile
from pathlib import Path

# One instant for the whole run: load_demo dates its stories from "now".
FROZEN_AT = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=datetime.UTC)

# Masked: values that differ between runs by design.
_MASKS = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1MASKED"),
    (re.compile(r'(name="security_token" value=")[^"]*'), r"\1MASKED"),
    (re.compile(r'(nonce=")[^"]*'), r"\1MASKED"),
    (re.compile(r"(csrftoken=)[^;\s]*"), r"\1MASKED"),
    (re.compile(r"(sessionid=)[^;\s]*"), r"\1MASKED"),
]
# Headers worth comparing (an ETag follows from the body; Date and
# Last-Modified from the clock; Set-Cookie is masked above).
_HEADERS = ("Content-Type", "Cache-Control", "Vary", "Location", "X-Robots-Tag")


def _environment(folder):
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "SECRET_KEY": "snapshot-secret-key-not-for-any-site",
            "DEBUG": "0",
            "HTTPS_ONLY": "0",
            "ALLOWED_HOSTS": "testserver",
            "SITE_URL": "http://testserver",
            "DATABASE_URL": f"sqlite:///{folder}/snapshot.sqlite3",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "TASKS_BACKEND": "immediate",
            "REDIS_URL": "",
            "CACHE_BACKEND": "locmem",
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )


def _pages(client):
    """[(name, response)] for every page the snapshot keeps."""
    from django.contrib.auth.models import User

    from articles.models import Article, Author, Tag
    from comments.models import Comment

    lead = Article.objects.published().order_by("-comment_count", "pk").first()
    other = Article.objects.published().exclude(pk=lead.pk).order_by("pk").first()
    tag = Tag.objects.filter(articles=lead).order_by("pk").first()
    author = Author.objects.filter(articles=lead).order_by("pk").first()
    reply_to = Comment.objects.public().top_level().for_article(lead).order_by("pk").first()
    story = lead.get_absolute_url()
    section = lead.section.get_absolute_url()

    anonymous = [
        ("home", "/"),
        ("home-page-2", "/?page=2"),
        ("section", section),
        ("section-feed", lead.section.feed_url),
        ("tag", tag.get_absolute_url()),
        ("author", author.get_absolute_url()),
        ("search", "/search/?q=contract"),
        ("search-empty", "/search/?q=zzzyxw"),
        ("article", story),
        ("article-cpage-2", story + "?cpage=2"),
        ("article-replyto", f"{story}?replyto={reply_to.pk}" if reply_to else story),
        ("article-other", other.get_absolute_url()),
        ("form-frame", f"/comments/form/{lead.pk}/"),
        ("feed", "/feed/"),
        ("atom-feed", "/feed/atom/"),
        ("sitemap", "/sitemap.xml"),
        ("robots", "/robots.txt"),
        ("not-found", "/no-such-section/"),
        ("preview-anonymous", f"/preview/{lead.pk}/"),
    ]
    for name, url in anonymous:
        yield name, client.get(url)
    # The same story page twice: the second from the page cache.
    yield "article-cached", client.get(story)
    yield (
        "refused-post",
        client.post(f"/comments/post/{lead.pk}/", {"body": "", "author_name": ""}),
    )
    client.cookies.clear()

    editor = User.objects.get(username="editor")
    client.force_login(editor)
    yield "article-signed-in", client.get(story)
    yield "home-signed-in", client.get("/")
    yield "preview-signed-in", client.get(f"/preview/{lead.pk}/")
    client.logout()


def _text(response):
    lines = [f"status: {response.status_code}"]
    lines += [f"{name}: {response[name]}" for name in _HEADERS if response.has_header(name)]
    body = b"".join(response) if response.streaming else response.content
    text = "\n".join(lines) + "\n\n" + body.decode("utf-8", errors="replace")
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


def take():
    """{page name: its masked text} for the tree as it is now."""
    import time_machine

    with tempfile.TemporaryDirectory(prefix="newsroom-snapshot-") as folder:
        _environment(folder)
        with time_machine.travel(FROZEN_AT, tick=False):
            import django

            django.setup()
            from django.core.management import call_command
            from django.test import Client
            from django.test.utils import setup_test_environment

            setup_test_environment()
            call_command("migrate", verbosity=0, interactive=False)
            call_command("load_demo", "--force", verbosity=0)
            client = Client()
            return {name: _text(response) for name, response in _pages(client)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    pages = take()
    if args.action == "save":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, text in pages.items():
            (args.folder / f"{name}.txt").write_text(text)
        print(f"saved {len(pages)} pages into {args.folder}")
        return 0
    differing = 0
    for name, text in pages.items():
        saved_file = args.folder / f"{name}.txt"
        saved = saved_file.read_text() if saved_file.exists() else ""
        if saved != text:
            differing += 1
            sys.stdout.writelines(
                difflib.unified_diff(
                    saved.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    fromfile=f"saved/{name}",
                    tofile=f"now/{name}",
                )
            )
    print(f"{len(pages) - differing} of {len(pages)} pages the same")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
