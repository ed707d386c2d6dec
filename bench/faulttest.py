"""`make faulttest`: the site under light load while its parts fail (issue 8 §2,
docs/reliability.md). Everything it breaks is its own: a PostgreSQL cluster
(initdb into a temporary folder, run as the `postgres` user, port 55432), a
redis-server (port 6390) and an SMTP sink (aiosmtpd, port 8270), with one
gunicorn (port 8262, 2 workers) and the task worker in front of them. The
machine's shared PostgreSQL and Redis are never touched.

1. PostgreSQL stopped for a few seconds, then started, under readers and
   commenters: every 5xx must be the friendly 503 (no traceback), every
   refused response must come back in the 503's form; the site answers again
   without restarting gunicorn; every thanked response is saved once.
2. Redis stopped: nothing 5xx; pages from the database; the flood limit
   fails open.
3. The mail server down, then slow: responses thanked at once; every
   notification arrives once, after retries with backoff.
4. gunicorn workers killed (SIGKILL) while responses are posted: each post
   happened whole or not at all; posting an unanswered one again never
   saves it twice; every story's count matches its responses.

    .venv/bin/python -m bench.faulttest [--smoke] [--write]
"""

import argparse
import asyncio
import contextlib
import datetime
import html
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import machine_summary, progress
from bench.loadtest import write_section
from bench.servers import Redis, Service, _process_tree
from bench.site import Site
from bench.traffic import Commenter, Tally, loopback_source, percentile, read_forever, request

PG_BIN = Path("/usr/lib/postgresql/15/bin")
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"
PG_PORT, REDIS_PORT, SMTP_PORT, WEB_PORT = 55432, 6390, 8270, 8262
FLOOD_SECONDS = 3
FRIENDLY = (b"Back in a moment", b"Please try again")


# --- Its own servers ----------------------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster of the test's own, run as `postgres` (it refuses root)."""

    def __init__(self, directory):
        self.directory = Path(directory) / "pg"
        self.directory.mkdir()
        shutil.chown(self.directory, "postgres", "postgres")
        self._as_postgres("initdb", "-D", str(self.directory), "-A", "trust", "-U", "postgres")

    def _as_postgres(self, program, *args):
        done = subprocess.run(
            [RUNUSER, "-u", "postgres", "--", str(PG_BIN / program), *args],
            capture_output=True,
            text=True,
            cwd="/",
            check=False,
        )
        if done.returncode != 0:
            log = self.directory / "server.log"
            raise RuntimeError(
                f"{program} failed: {done.stderr}"
                + (log.read_text()[-1500:] if log.exists() else "")
            )

    def start(self):
        # 55432 is in Linux's ephemeral range: a client elsewhere on the machine
        # may hold it for a moment (TIME-WAIT). Wait for it, a minute at most.
        for _ in range(12):
            try:
                return self._start()
            except RuntimeError as error:
                if "Address already in use" not in str(error):
                    raise
                progress(f"Port {PG_PORT} busy for a moment: waiting")
                time.sleep(5)
        return self._start()

    def _start(self):
        options = f"-p {PG_PORT} -k {self.directory} -c listen_addresses=127.0.0.1"
        log = str(self.directory / "server.log")
        self._as_postgres(
            "pg_ctl", "-D", str(self.directory), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self):
        with contextlib.suppress(RuntimeError):
            self._as_postgres("pg_ctl", "-D", str(self.directory), "-m", "fast", "-w", "stop")


class Worker(Service):
    """manage.py db_worker, as `make serve` runs it beside gunicorn."""

    name = "db_worker"

    def __init__(self, *, env, log_path):
        command = [sys.executable, "manage.py", "db_worker", "--interval", "0.5", "--no-reload"]
        super().__init__(command, port=0, log_path=log_path, env=env)

    def start(self):
        return super().start(ready_path=None, timeout=30)

    def _answers(self, path):
        return True

    def alive(self):
        return self.process is not None and self.process.poll() is None


class SmtpSink:
    """aiosmtpd in a thread: every message kept; stoppable and slowable."""

    def __init__(self):
        self.messages, self.delay, self.controller = [], 0.0, None

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- The test ---------------------------------------------------------------------------


class FaultTest:
    def __init__(self, options, site, web, worker_env, work_dir, cluster, sink):
        self.options, self.site, self.web = options, site, web
        self.worker_env, self.work_dir = worker_env, work_dir
        self.cluster, self.sink = cluster, sink
        self.failures, self.sections = [], []
        self.stories, self.paths = site.open_stories()
        self.port = WEB_PORT
        self.next_commenter = 0
        self.worker_restarts = 0

    def fail(self, message):
        progress(f"FAILED: {message}")
        self.failures.append(message)

    def commenter(self):
        number = self.next_commenter
        self.next_commenter += 1
        return Commenter(number, loopback_source(number), f"fault-{number}@example.org")

    def load(self, seconds, *, during=None, readers=None, commenters=None):
        """Readers and commenters for `seconds`; `during(tally)` runs meanwhile."""
        readers = readers if readers is not None else self.options.readers
        commenters = [self.commenter() for _ in range(commenters or self.options.commenters)]
        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(
                target=read_forever,
                args=(tally, [self.port], self.paths, stop),
                kwargs={"pause": 0.05},
            )
            for _ in range(readers)
        ]
        threads += [
            threading.Thread(target=self._comment, args=(c, tally, stop)) for c in commenters
        ]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        if during:
            during(tally)
        stop.wait(max(0.0, seconds - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join()
        return tally, commenters

    def _comment(self, commenter, tally, stop, *, k=0):
        while not stop.is_set():
            story = self.stories[(commenter.number + k) % len(self.stories)]
            form, answer = commenter.show_form(self.port, story.pk)
            tally.add("form", answer)
            if form is None:
                stop.wait(0.5)
                continue
            if stop.wait(2.5):
                return
            post = commenter.post(
                self.port, story.pk, form, f"Fault test: reader {commenter.number}, response {k}."
            )
            post.story, post.form = story.pk, form
            tally.add("comment", post.answer)
            k += 1
            stop.wait(FLOOD_SECONDS + 0.2)

    # --- Checks shared by the scenarios -----------------------------------------------

    def saved_once(self, commenters, label):
        """Every thanked response in the database exactly once; returns the saved bodies."""
        from comments.models import Comment

        bodies = {}
        for pk, body in Comment.objects.filter(body__startswith="Fault test").values_list(
            "pk", "body"
        ):
            bodies.setdefault(body, []).append(pk)
        posts = [p for c in commenters for p in c.posts]
        lost = [p for p in posts if p.thanked and bodies.get(p.body) != [p.comment_id]]
        doubled = [b for b, ids in bodies.items() if len(ids) > 1]
        if lost:
            self.fail(f"{label}: {len(lost)} thanked responses not saved exactly once")
        if doubled:
            self.fail(f"{label}: {len(doubled)} responses saved twice")
        return bodies

    def no_raw_errors(self, tally, label):
        """Every 5xx is the friendly 503, never a 500 or a stack trace."""
        bad = [
            a
            for a in tally.of()
            if a.status >= 500
            and (
                a.status != 503 or b"Traceback" in a.body or not any(f in a.body for f in FRIENDLY)
            )
        ]
        if bad:
            self.fail(f"{label}: {len(bad)} raw 5xx answers ({sorted({a.status for a in bad})})")

    def keep_worker(self):
        from django.db import close_old_connections

        close_old_connections()
        if not self.worker.alive():
            self.worker_restarts += 1
            progress("db_worker exited (as systemd's Restart=always would): starting it again")
            self.worker.start()

    # --- 1. PostgreSQL restarted --------------------------------------------------------------

    def postgres_restart(self):
        progress("Scenario 1: PostgreSQL stopped and started under load")
        pids_before = self._web_pids()
        events = {}

        # Readers who opened the form before the outage and press "Post Comment" during it.
        caught = [self.commenter() for _ in range(5)]

        def outage(tally):
            time.sleep(max(0.0, self.options.warmup - 2.5))
            forms = [(c, c.show_form(self.port, self.stories[0].pk)[0]) for c in caught]
            time.sleep(2.5)
            events["stop"] = time.monotonic()
            self.cluster.stop()
            for number, (commenter, form) in enumerate(forms):
                body = f"Fault test: posted during the outage, {number}."
                post = commenter.post(self.port, self.stories[0].pk, form, body)
                post.story, post.form = self.stories[0].pk, form
                tally.add("comment", post.answer)
            time.sleep(self.options.outage)
            self.cluster.start()
            events["start"] = time.monotonic()
            while True:  # the first uncached page rendered again
                answer = request(self.port, "GET", f"/comments/form/{self.stories[0].pk}/")
                if answer.status == 200:
                    events["recovered"] = time.monotonic()
                    break
                time.sleep(0.05)

        tally, commenters = self.load(self.options.warmup + self.options.outage + 8, during=outage)
        commenters += caught
        uncached = tally.of("form", since=events["stop"], until=events["start"])
        self.keep_worker()
        during = tally.of("read", since=events["stop"], until=events["start"])
        from_cache = len([a for a in during if a.status == 200])
        friendly = len([a for a in during if a.status == 503])
        self.no_raw_errors(tally, "PostgreSQL restart")
        posts = [p for c in commenters for p in c.posts]
        refused = [p for p in posts if p.answer.status == 503]
        kept = [p for p in refused if html.escape(p.body).encode() in p.answer.body]
        if len(kept) != len(refused):
            self.fail(
                f"PostgreSQL restart: {len(refused) - len(kept)} refused responses lost their text"
            )
        # The reader presses "Post Comment" on the kept form, now PostgreSQL is back.
        again = {}
        for post in refused:
            retry = self.post_again(post, commenters)
            again[retry.answer.status] = again.get(retry.answer.status, 0) + 1
        self.saved_once(commenters, "PostgreSQL restart")
        if self._web_pids()[0] != pids_before[0]:
            self.fail("PostgreSQL restart: gunicorn was restarted")
        worker_fate = (
            "exited on the lost connection; started again"
            if self.worker_restarts
            else "kept running"
        )
        return [
            f"| PostgreSQL stopped for | {self.options.outage} s, under "
            f"{self.options.readers} readers and {self.options.commenters} commenters |",
            f"| Pages during the outage: from the page cache (200) / friendly 503 / other | "
            f"{from_cache} / {friendly} / {len(during) - from_cache - friendly} |",
            f"| The form's frame (never cached) during the outage: friendly 503 / other | "
            f"{len([a for a in uncached if a.status == 503])} / "
            f"{len([a for a in uncached if a.status != 503])} |",
            f"| Responses posted / thanked / 503 with the text kept | {len(posts)} / "
            f"{len([p for p in posts if p.thanked])} / {len(kept)} of {len(refused)} |",
            f"| First uncached page rendered again after PostgreSQL started | "
            f"{events['recovered'] - events['start']:.2f} s (gunicorn not restarted) |",
            f"| The kept forms posted again afterwards: answers | {_counts(again)} |",
            f"| db_worker | {worker_fate} |",
        ]

    def post_again(self, post, commenters):
        """Post the fields the 503 page kept, as its button does."""
        page = post.answer.body.decode()
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
        fields |= dict(
            re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S)
        )
        fields = {name: html.unescape(value) for name, value in fields.items()}
        commenter = next(c for c in commenters if post in c.posts)
        retry = commenter.post(self.port, post.story, post.form, post.body, fields=fields)
        retry.story, retry.form = post.story, post.form
        return retry

    # --- 2. Redis stopped ----------------------------------------------------------------------

    def redis_stopped(self):
        progress("Scenario 2: Redis stopped under load")
        before, _ = self.load(self.options.phase, commenters=2)
        self.redis.stop()
        tally, commenters = self.load(self.options.phase)
        flood_open = self.flood_pair()
        self.redis.start(ready_path=None)
        self.no_raw_errors(tally, "Redis stopped")
        errors = [a for a in tally.of() if a.status >= 500 or a.status == 0]
        if errors:
            self.fail(f"Redis stopped: {len(errors)} errors or unanswered requests")
        if flood_open != (303, 303):
            self.fail(f"Redis stopped: the flood limit did not fail open {flood_open}")
        self.saved_once(commenters, "Redis stopped")
        flood_closed = self.flood_pair()
        reads = [a.seconds * 1000 for a in tally.of("read")]
        reads_before = [a.seconds * 1000 for a in before.of("read")]
        posts = [p for c in commenters for p in c.posts]
        return [
            f"| Redis stopped: answers | {_counts(_statuses(tally))} |",
            "| Redis stopped: page p50 / p99 (Redis up just before) | "
            f"{percentile(reads, 0.5):.0f} / "
            f"{percentile(reads, 0.99):.0f} ms ({percentile(reads_before, 0.5):.0f} / "
            f"{percentile(reads_before, 0.99):.0f} ms) |",
            f"| Redis stopped: responses posted / thanked | {len(posts)} / "
            f"{len([p for p in posts if p.thanked])} |",
            f"| Flood limit, two posts at once: Redis down / up | {flood_open} / {flood_closed} |",
        ]

    def flood_pair(self):
        """One reader posts two responses at once: the statuses of both."""
        commenter = self.commenter()
        story = self.stories[0]
        forms = [commenter.show_form(self.port, story.pk)[0] for _ in range(2)]
        time.sleep(2.5)
        return tuple(
            commenter.post(
                self.port, story.pk, form, f"Fault test flood {commenter.number}-{n}."
            ).answer.status
            for n, form in enumerate(forms)
        )

    # --- 3. The mail server down, then slow -------------------------------------------------------

    def mail(self):
        progress("Scenario 3: the mail server down, then slow")
        rows = []
        for label, fault in (("down", "down"), ("slow (1.5 s a message)", "slow")):
            self.keep_worker()
            if fault == "down":
                self.sink.stop()
            else:
                self.sink.delay = 1.5
            received_before = len(self.sink.messages)
            started = datetime.datetime.now(datetime.UTC)
            tally, commenters = self.load(self.options.phase, readers=0, commenters=4)
            if fault == "down":
                time.sleep(4)  # a few attempts fail
                self.sink.start()
            thanked = [p for c in commenters for p in c.posts if p.thanked]
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and self._mails_for(thanked, received_before) < len(
                thanked
            ):
                time.sleep(0.5)
            time.sleep(3)  # any stray retry would arrive now
            self.sink.delay = 0
            counts = [self._mail_count(p, received_before) for p in thanked]
            attempts = self._attempts(since=started)
            if any(n != 1 for n in counts):
                self.fail(f"mail {fault}: notifications received {counts}, not once each")
            post_times = [a.seconds * 1000 for a in tally.of("comment")]
            rows.append(
                f"| Mail server {label}: responses thanked / notified exactly once / "
                f"email task runs / POST p99 | {len(thanked)} / "
                f"{counts.count(1)} / {_counts(attempts)} / {percentile(post_times, 0.99):.0f} ms |"
            )
        return rows

    def _mail_count(self, post, since):
        marker = f"/comments/comment/{post.comment_id}/change/"
        return sum(marker in m for m in self.sink.messages[since:])

    def _mails_for(self, posts, since):
        return sum(1 for p in posts if self._mail_count(p, since))

    @staticmethod
    def _attempts(*, since):
        """The moderators' email task's runs since then, by outcome (a digest lists
        every response that waits, so runs are not one per response)."""
        from django.db import close_old_connections
        from django_tasks_db.models import DBTaskResult

        close_old_connections()
        counts = {}
        for status in DBTaskResult.objects.filter(
            task_path="comments.tasks.notify_moderators", enqueued_at__gte=since
        ).values_list("status", flat=True):
            counts[status.lower()] = counts.get(status.lower(), 0) + 1
        return counts

    # --- 4. Workers killed mid-request ---------------------------------------------------

    def workers_killed(self):
        progress("Scenario 4: gunicorn workers killed (SIGKILL) while responses are posted")
        kills = []

        def killer(tally):
            deadline = time.monotonic() + self.options.phase
            while time.monotonic() < deadline:
                time.sleep(0.7)
                workers = [pid for pid in self._web_pids() if pid != self.web.process.pid]
                if workers:
                    victim = random.choice(workers)  # noqa: S311 (no secret)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(victim, signal.SIGKILL)
                        kills.append(victim)

        tally, commenters = self.load(
            self.options.phase + 1, readers=4, commenters=20, during=killer
        )
        time.sleep(2)  # gunicorn boots new workers
        unanswered = [p for c in commenters for p in c.posts if p.answer.status == 0]
        bodies = self.saved_once(commenters, "workers killed")
        happened = [p for p in unanswered if p.body in bodies]
        again = {}
        for post in unanswered:
            commenter = next(c for c in commenters if post in c.posts)
            form, _ = commenter.show_form(self.port, post.story)
            time.sleep(FLOOD_SECONDS)
            retry = commenter.post(self.port, post.story, form, post.body)
            again[retry.answer.status] = again.get(retry.answer.status, 0) + 1
        self.saved_once(commenters, "workers killed, posted again")
        self.no_raw_errors(tally, "workers killed")
        mismatched = self._counts_mismatched()
        if mismatched:
            self.fail(f"workers killed: comment_count wrong on stories {mismatched}")
        posts = [p for c in commenters for p in c.posts]
        return [
            f"| Workers killed / responses posted / thanked / no answer | {len(kills)} / "
            f"{len(posts)} / {len([p for p in posts if p.thanked])} / {len(unanswered)} |",
            f"| Unanswered posts found saved (whole) / absent | {len(happened)} / "
            f"{len(unanswered) - len(happened)} |",
            f"| Unanswered posts sent again: answers | {_counts(again)} (422: already posted) |",
            f"| Stories whose count disagrees with their responses | {len(mismatched)} |",
        ]

    @staticmethod
    def _counts_mismatched():
        from articles.models import Article
        from comments.models import Comment

        return [
            a.pk
            for a in Article.objects.all()
            if a.comment_count != Comment.objects.public().filter(article=a).count()
        ]

    def run(self):
        rows = []
        for scenario in (self.postgres_restart, self.redis_stopped, self.mail, self.workers_killed):
            try:
                rows += scenario()
            except Exception as error:  # one scenario's crash must not hide the others'
                self.fail(f"{scenario.__name__} crashed: {error!r}")
        return rows

    def _web_pids(self):
        return _process_tree(self.web.process.pid)


def _statuses(tally):
    counts = {}
    for answer in tally.of():
        counts[answer.status] = counts.get(answer.status, 0) + 1
    return counts


def _counts(counts):
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"


def main(argv=None):
    options = _arguments(argv)
    if os.geteuid() != 0:
        sys.exit(
            "faulttest runs PostgreSQL as the postgres user: run it as root (or adapt Cluster)"
        )
    with contextlib.ExitStack() as cleanup:
        work_dir = Path(tempfile.mkdtemp(prefix="newsroom-faulttest-"))
        work_dir.chmod(0o755)
        cleanup.callback(shutil.rmtree, work_dir, ignore_errors=True)
        cluster = Cluster(work_dir)
        cluster.start()
        cleanup.callback(cluster.stop)
        redis_dir = work_dir / "redis"
        redis_dir.mkdir()
        redis = Redis(port=REDIS_PORT, directory=redis_dir)
        redis.start(ready_path=None)
        cleanup.callback(lambda: test.redis.stop())
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every line
        sink = SmtpSink()
        sink.start()
        cleanup.callback(sink.stop)
        extra = {
            "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
            "EMAIL_TIMEOUT": "2",
            "NOTIFY_RETRY_DELAYS": "1,2,4,8,16",
            "COMMENTS_MODERATOR_EMAILS": "desk@example.org",
            # Digests a second apart, so a run sees every response listed in
            # its minute (the default, 300 s, would outlast the scenario).
            "COMMENTS_NOTIFY_INTERVAL_SECONDS": "1",
            "COMMENTS_FLOOD_INTERVAL_SECONDS": str(FLOOD_SECONDS),
            "COMMENTS_FLOOD_PER_HOUR": "10000",
            "CACHE_RETRY_AFTER_SECONDS": "2",
        }
        site = Site(
            database_url=f"postgres://postgres@127.0.0.1:{PG_PORT}/faults_faulttest",
            redis_url=f"redis://127.0.0.1:{REDIS_PORT}/0",
            work_dir=work_dir,
            cleanup=cleanup,
            extra_env=extra,
        )
        site.build()
        web = site.gunicorn(WEB_PORT, label="faults")
        worker = Worker(env=site.environment(port=WEB_PORT), log_path=work_dir / "worker.log")
        worker.start()
        cleanup.callback(worker.stop)
        test = FaultTest(options, site, web, None, work_dir, cluster, sink)
        test.worker, test.redis = worker, redis
        rows = test.run()
        for path in ("worker.log", f"gunicorn-{WEB_PORT}.log"):  # kept for a look afterwards
            shutil.copy(work_dir / path, Path(tempfile.gettempdir()) / f"faulttest-{path}")
    report = "\n".join(
        [
            f"Measured {datetime.date.today():%d %b %Y} on {machine_summary()}: one gunicorn "
            "(2 sync workers), the task worker, and the test's own PostgreSQL 15, Redis and "
            "SMTP sink on the same machine.",
            "",
            "| Fault / figure | Value |",
            "|---|---|",
            *rows,
            f"| Checks | {'all passed' if not test.failures else '; '.join(test.failures)} |",
        ]
    )
    print(report)
    if options.write and not options.smoke:
        write_section("faulttest", report)
    return 1 if test.failures else 0


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="shorter outages, lighter load")
    parser.add_argument("--write", action="store_true", help="record in docs/reliability.md")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--commenters", type=int, default=10)
    parser.add_argument("--outage", type=int, default=6, help="seconds PostgreSQL is down")
    parser.add_argument("--warmup", type=int, default=4)
    parser.add_argument("--phase", type=int, default=10, help="seconds of each other fault")
    options = parser.parse_args(argv)
    if options.smoke:
        options.readers, options.commenters, options.outage, options.warmup = 4, 3, 3, 3
        options.phase = 5
    return options


if __name__ == "__main__":
    sys.exit(main())
