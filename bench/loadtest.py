"""`make loadtest`: two gunicorn instances sharing PostgreSQL and Redis, as two
hosts would, under readers, commenters and a moderator at once; then checks
that nothing was lost (issue 8 §1, docs/reliability.md).

For DURATION seconds (60): READERS threads (200) read pages one after another
across both instances; COMMENTERS (20), each from a loopback address of their
own (127.0.0.2, 127.0.0.3, …: the site trusts no forwarded header) and an
email of their own, show the form, wait as a person would (the form refuses
posts faster than COMMENTS_FORM_MIN_SECONDS as a bot's), post a response,
and at once try a second one on the *other* instance (which the flood limit
must refuse), then wait out the flood interval; a moderator approves what
waits every few seconds, in batches (comments/moderation.py's verb, as the
admin's action calls it, in this process: same database, same Redis).

Then, with no pause: the last batch approved, and checked:
- no answer was a 5xx;
- every response that was thanked is in the database exactly once, and no
  refused one is;
- every approved response is on its story's pages from both instances;
- the flood limit held across instances: every at-once second post refused,
  and no two of a commenter's responses closer than the flood interval.
Exits 1 if any check fails. Reports readers' throughput and p50/p99.

    .venv/bin/python -m bench.loadtest [--smoke] [--write]
"""

import argparse
import contextlib
import datetime
import itertools
import shutil
import sys
import tempfile
import threading
import time

from bench.common import RELIABILITY_DOC, machine_summary, progress, write_block
from bench.site import Site
from bench.traffic import Commenter, Tally, loopback_source, percentile, read_forever, request

FORM_WAIT_SECONDS = 2.5  # over COMMENTS_FORM_MIN_SECONDS (2): a person, not a bot
MODERATION_EVERY_SECONDS = 5


def main(argv=None):
    options = _arguments(argv)
    with contextlib.ExitStack() as cleanup:
        work_dir = tempfile.mkdtemp(prefix="newsroom-loadtest-")
        cleanup.callback(shutil.rmtree, work_dir, ignore_errors=True)
        site = Site(
            database_url=options.database_url,
            redis_url=options.redis_url,
            work_dir=work_dir,
            cleanup=cleanup,
        )
        site.build()
        ports = [options.port, options.port + 1]
        for number, port in enumerate(ports, 1):
            site.gunicorn(port, label=f"instance {number}")
        report, failures = LoadTest(options, site, ports).run()
    print(report)
    if options.write and not options.smoke:
        write_section("loadtest", report)
    if failures:
        print("\nFAILED:\n- " + "\n- ".join(failures), file=sys.stderr)
        return 1
    print("\nAll checks passed.")
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="10 s, 20 readers, 3 commenters")
    parser.add_argument("--write", action="store_true", help="record in docs/reliability.md")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--commenters", type=int, default=20)
    parser.add_argument("--port", type=int, default=8260, help="and the next one")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/faults_loadtest"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    options = parser.parse_args(argv)
    if options.smoke:
        options.duration, options.readers, options.commenters = 10, 20, 3
    return options


class LoadTest:
    def __init__(self, options, site, ports):
        self.options, self.site, self.ports = options, site, ports
        self.tally = Tally()
        self.stop = threading.Event()
        self.run_id = datetime.datetime.now().strftime("%H%M%S")
        self.stories, self.paths = site.open_stories()
        self.commenters = [
            Commenter(n, loopback_source(n), f"load-{self.run_id}-{n}@example.org")
            for n in range(options.commenters)
        ]
        self.moderation_batches = []
        from django.conf import settings

        self.flood_interval = settings.COMMENTS_FLOOD_INTERVAL_SECONDS

    def run(self):
        options = self.options
        progress(
            f"{options.duration} s: {options.readers} readers, {options.commenters} commenters "
            f"and a moderator on ports {self.ports}"
        )
        threads = [
            threading.Thread(
                target=read_forever, args=(self.tally, self.ports, self.paths, self.stop)
            )
            for _ in range(options.readers)
        ]
        threads += [threading.Thread(target=self._comment, args=(c,)) for c in self.commenters]
        threads.append(threading.Thread(target=self._moderate))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        self.stop.wait(options.duration)
        self.stop.set()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        self._approve_batch()  # the last batch, then the checks at once
        failures = self._checks()
        return self._report(elapsed, failures), failures

    # --- The people ----------------------------------------------------------------------

    def _comment(self, commenter):
        k = 0
        while not self.stop.is_set():
            story = self.stories[(commenter.number + k) % len(self.stories)]
            port, other = self.ports[k % 2], self.ports[(k + 1) % 2]
            form, answer = commenter.show_form(port, story.pk)
            self.tally.add("form", answer)
            early_form, answer = commenter.show_form(other, story.pk)
            self.tally.add("form", answer)
            if form is None or early_form is None or self.stop.wait(FORM_WAIT_SECONDS):
                k += 1
                continue
            body = f"Load test {self.run_id}: reader {commenter.number}, response {k}."
            post = commenter.post(port, story.pk, form, body)
            self.tally.add("comment", post.answer)
            accepted_at = time.monotonic()
            if post.thanked:
                # The same reader at once on the other instance: too soon.
                early = commenter.post(other, story.pk, early_form, body + " (too soon)")
                early.too_soon = True
                self.tally.add("comment-too-soon", early.answer)
            k += 1
            self.stop.wait(max(0.0, accepted_at + self.flood_interval + 0.5 - time.monotonic()))

    def _moderate(self):
        from django.db import connections

        try:
            while not self.stop.wait(MODERATION_EVERY_SECONDS):
                self._approve_batch()
        finally:
            connections.close_all()  # this thread's own, before the database is dropped

    def _approve_batch(self):
        from django.contrib.auth import get_user_model
        from django.db import close_old_connections

        from comments.models import Comment
        from comments.moderation import approve_comments

        close_old_connections()
        moderator = get_user_model().objects.get(username="moderator")
        waiting = Comment.objects.pending().filter(body__startswith=f"Load test {self.run_id}")
        self.moderation_batches.append(approve_comments(waiting, by=moderator))

    # --- Afterwards ----------------------------------------------------------------------

    def _checks(self):
        from comments.models import Comment

        failures = []
        everything = self.tally.of()
        server_errors = [a for a in everything if a.status >= 500]
        if server_errors:
            failures.append(
                f"{len(server_errors)} answers were 5xx: "
                + ", ".join(sorted({str(a.status) for a in server_errors}))
            )
        unanswered = [a for a in everything if a.status == 0]
        if unanswered:
            failures.append(f"{len(unanswered)} requests got no answer: {unanswered[0].error}")

        ours = Comment.objects.filter(body__startswith=f"Load test {self.run_id}")
        saved = {}
        for comment_id, body in ours.values_list("pk", "body"):
            saved.setdefault(body, []).append(comment_id)
        posts = [p for c in self.commenters for p in c.posts]
        thanked = [p for p in posts if p.thanked]
        for post in thanked:
            if saved.get(post.body) != [post.comment_id]:
                failures.append(
                    f"thanked response {post.comment_id} is saved as {saved.get(post.body)}"
                )
        refused_but_saved = [p for p in posts if not p.thanked and p.body in saved]
        if refused_but_saved:
            failures.append(f"{len(refused_but_saved)} refused responses are in the database")

        too_soon = [p for p in posts if getattr(p, "too_soon", False)]
        let_through = [p for p in too_soon if p.answer.status != 429]
        if let_through:
            failures.append(
                f"flood limit: {len(let_through)} of {len(too_soon)} at-once second posts on "
                f"the other instance not refused ({sorted({p.answer.status for p in let_through})})"
            )
        closest = self._closest_gap(ours)
        if closest is not None and closest < self.flood_interval - 0.5:
            failures.append(f"flood limit: two responses from one address {closest:.1f} s apart")

        approved = list(ours.filter(status=Comment.Status.APPROVED).select_related("article"))
        missing = self._not_visible(approved)
        if missing:
            failures.append(f"{len(missing)} approved responses not visible: {missing[:5]}")
        self.facts = {
            "thanked": len(thanked),
            "posts": len(posts),
            "too_soon": len(too_soon),
            "refused_429": len([p for p in too_soon if p.answer.status == 429]),
            "approved": len(approved),
            "batches": len([b for b in self.moderation_batches if b]),
            "closest": closest,
            "server_errors": len(server_errors),
            "visible": len({c.pk for c in approved} - {pk for _, pk in missing}),
        }
        return failures

    def _closest_gap(self, comments):
        by_address = {}
        for address, created in comments.order_by("created_at").values_list(
            "ip_address", "created_at"
        ):
            by_address.setdefault(address, []).append(created)
        gaps = [
            (b - a).total_seconds()
            for times in by_address.values()
            for a, b in itertools.pairwise(times)
        ]
        return min(gaps) if gaps else None

    def _not_visible(self, approved):
        """Approved responses missing from their story's pages, on either instance."""
        from django.conf import settings

        missing = []
        by_story = {}
        for comment in approved:
            by_story.setdefault(comment.article, []).append(comment.pk)
        for story, ids in by_story.items():
            public = story.comment_count
            pages = max(1, -(-public // settings.COMMENTS_PER_PAGE))
            for port in self.ports:
                shown = b""
                for page in range(1, pages + 1):
                    query = f"?cpage={page}" if page > 1 else ""
                    answer = request(port, "GET", story.get_absolute_url() + query)
                    shown += answer.body
                missing += [(port, pk) for pk in ids if f'id="comment-{pk}"'.encode() not in shown]
        return missing

    def _report(self, elapsed, failures):
        reads = self.tally.of("read")
        seconds = [a.seconds * 1000 for a in reads]
        comments = self.tally.of("comment")
        facts = self.facts
        statuses = {}
        for answer in self.tally.of():
            statuses[answer.status] = statuses.get(answer.status, 0) + 1
        by_status = ", ".join(f"{s or 'none'}: {n:,}" for s, n in sorted(statuses.items()))
        post_p99 = percentile([a.seconds * 1000 for a in comments], 0.99)
        lines = [
            f"Measured {datetime.date.today():%d %b %Y} on {machine_summary()}: two gunicorn "
            f"instances (2 sync workers each), PostgreSQL and Redis on the same machine, the "
            f"load generator too. {self.options.readers} readers, {self.options.commenters} "
            f"commenters, {elapsed:.0f} s.",
            "",
            "| Figure | Value |",
            "|---|---|",
            f"| Pages read | {len(reads):,} ({len(reads) / elapsed:.0f}/s across both instances) |",
            f"| Page time p50 / p99 / max | {percentile(seconds, 0.5):.0f} / "
            f"{percentile(seconds, 0.99):.0f} / {max(seconds, default=0):.0f} ms |",
            f"| Responses posted / thanked | {len(comments)} / {facts['thanked']} |",
            f"| Response POST p99 | {post_p99:.0f} ms |",
            f"| At-once second posts on the other instance / refused 429 | "
            f"{facts['too_soon']} / {facts['refused_429']} |",
            "| Closest two responses from one address | "
            + (f"{facts['closest']:.1f} s" if facts["closest"] is not None else "n/a")
            + f" (flood interval {self.flood_interval} s) |",
            f"| Approved (in {facts['batches']} batches) / visible on both instances at once | "
            f"{facts['approved']} / {facts['visible']} |",
            f"| Answers by status | {by_status} |",
            f"| 5xx | {facts['server_errors']} |",
            f"| Checks | {'all passed' if not failures else '; '.join(failures)} |",
        ]
        return "\n".join(lines)


# --- docs/reliability.md -----------------------------------------------------------------


def write_section(name, text):
    """Replace the block `name` in docs/reliability.md (bench/common.py's markers)."""
    write_block(name, text, document=RELIABILITY_DOC)
    progress(f"Recorded in {RELIABILITY_DOC}")


if __name__ == "__main__":
    sys.exit(main())
