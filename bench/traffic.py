"""Readers and commenters over real HTTP, for `make loadtest` and `make faulttest`.

Each request opens its own connection (gunicorn's sync workers close after
each answer) from a chosen loopback source address: the site sees a
commenter's address as REMOTE_ADDR, exactly as it would a reader's across the
Internet, since forwarded headers are not trusted (COMMENTS_TRUSTED_PROXY_COUNT=0).

Nothing here imports Django: the scripts start it where they need it.
"""

import http.client
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 30


@dataclass
class Answer:
    status: int  # 0: no answer (connection refused, reset, timed out)
    seconds: float
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    error: str = ""
    port: int = 0


def request(port, method, path, *, source="127.0.0.1", body=None, headers=None):
    """One request on a fresh connection from `source`; never raises."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=TIMEOUT_SECONDS, source_address=(source, 0)
    )
    try:
        connection.request(
            method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})}
        )
        response = connection.getresponse()
        content = response.read()
        return Answer(
            response.status,
            time.perf_counter() - started,
            content,
            {name.lower(): value for name, value in response.getheaders()},
            port=port,
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(0, time.perf_counter() - started, error=repr(error), port=port)
    finally:
        connection.close()


class Tally:
    """Every answer's status and time, shared by threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self.answers = []

    def add(self, kind, answer):
        with self._lock:
            self.answers.append((kind, time.monotonic(), answer))

    def of(self, kind=None, since=None, until=None):
        with self._lock:
            return [
                a
                for k, at, a in self.answers
                if (kind is None or k == kind)
                and (since is None or at >= since)
                and (until is None or at < until)
            ]


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def read_forever(tally, ports, paths, stop, *, kind="read", pause=0.0):
    """A reader: one page after another, across the instances, until `stop` is set."""
    index = 0
    while not stop.is_set():
        port = ports[index % len(ports)]
        path = paths[(index * 7 + threading.get_ident()) % len(paths)]
        tally.add(kind, request(port, "GET", path))
        index += 1
        if pause:
            stop.wait(pause)


# --- A commenter ------------------------------------------------------------------------

_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_SECURITY = re.compile(rb'name="security_token" value="([^"]+)"')
_THANKED = re.compile(r"#comment-(\d+)$")


@dataclass
class Post:
    """One response a commenter sent and what became of it."""

    body: str
    port: int
    answer: Answer
    comment_id: int | None = None  # from the thank-you redirect

    @property
    def thanked(self):
        return self.answer.status == 303 and self.comment_id is not None


@dataclass
class Commenter:
    """A reader with an address and an email of their own, posting responses."""

    number: int
    source: str
    email: str
    posts: list = field(default_factory=list)

    def show_form(self, port, article_id):
        """GET the form's frame: (cookie header, csrf token, security token) or None."""
        answer = request(port, "GET", f"/comments/form/{article_id}/", source=self.source)
        if answer.status != 200:
            return None, answer
        csrf, security = _CSRF.search(answer.body), _SECURITY.search(answer.body)
        cookie = answer.headers.get("set-cookie", "")
        token = re.search(r"csrftoken=([^;]+)", cookie)
        if not (csrf and security and token):
            return None, answer
        return (
            f"csrftoken={token.group(1)}",
            csrf.group(1).decode(),
            security.group(1).decode(),
        ), answer

    def post(self, port, article_id, form, body, *, fields=None):
        """POST a response with the form shown earlier; returns the Post."""
        cookie, csrf, security = form
        data = fields or {
            "csrfmiddlewaretoken": csrf,
            "security_token": security,
            "honeypot": "",
            "body": body,
            "author_name": f"Load reader {self.number}",
            "author_email": self.email,
            "author_url": "",
        }
        answer = request(
            port,
            "POST",
            f"/comments/post/{article_id}/",
            source=self.source,
            body=urllib.parse.urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
            },
        )
        thanked = _THANKED.search(answer.headers.get("location", ""))
        post = Post(body, port, answer, int(thanked.group(1)) if thanked else None)
        self.posts.append(post)
        return post


def loopback_source(number):
    """127.0.0.2, 127.0.0.3, …: a distinct address per commenter."""
    number += 2
    return f"127.0.{number // 256}.{number % 256}"
