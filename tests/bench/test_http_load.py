"""bench/http_load.py: the checks that keep a broken page from looking fast,
and the report's verdicts."""

import pytest

from bench import http_load
from bench.wrk import Load, WrkResult

HEADLINE = "Procurement chief resigns"


def _page(responses=50, heading="50 Responses", form=True):
    comments = "".join(f'<article id="comment-{n}">…</article>' for n in range(responses))
    return (
        f"<h1>{HEADLINE}</h1><h2>{heading}</h2>{comments}"
        f"{'<h2>Leave a Response</h2>' if form else ''}"
    ).encode()


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        (_page(), None),
        (_page().replace(HEADLINE.encode(), b"Server Error"), "the headline is missing"),
        (_page(heading="49 Responses"), "no '50 Responses' heading"),
        (_page(responses=10), "10 responses shown, not 50"),
        (_page(form=False), "no 'Leave a Response' form"),
    ],
)
def test_the_article_check_names_what_is_missing(page, problem):
    assert http_load._ArticleExpectations(HEADLINE, 50).problem(page) == problem


def _row(key, requests_per_second, server_cpu_ms, *, bad_responses=0):
    result = WrkResult(requests_per_second, 1.0, 2.0, 1000, bad_responses, 0)
    return http_load.Row(key, key, "/", result, 1.0, server_cpu_ms, 0.0)


def _report(**overrides):
    rows = {
        "floor": _row("floor", 4000, 0.5),
        "floor-again": _row("floor-again", 4000, 0.5),
        "healthz": _row("healthz", 3000, 0.7),
        "static": _row("static", 4000, 0.5),
        "nginx-static": _row("nginx-static", 60000, 0.02),
        "cold": _row("cold", 40, 30.0),
        "session": _row("session", 1000, 2.0),
        "anonymous": _row("anonymous", 2100, 0.9),
        "nginx": _row("nginx", 36000, 0.03),
    } | overrides
    context = {
        "date": "2026-11-28",
        "machine": "a test machine",
        "versions": "",
        "load": Load(threads=2, connections=32, seconds=10, warmup_seconds=2),
        "page_kb": 57.7,
        "body_characters": 3625,
        "pull_quotes": 3,
        "responses": 50,
        "cold_switches": "PAGE_CACHE=0 FRAGMENT_CACHE=0",
        "django": "5.2",
        "load_average": "1.0 → 1.0",
        "recycled_workers": 0,
        "max_requests": 0,
    }
    report = http_load._markdown_report(list(rows.values()), context)
    return {line.split(" | ")[0].lstrip("| "): line for line in report.splitlines()}


def test_each_target_is_judged_against_its_reference():
    lines = _report()

    assert "| ≥ 8% of floor | MISS |" in lines["cold"]  # 40 of 4,000: 1%
    assert "| ≥ 20% of floor | PASS |" in lines["session"]  # 25%
    assert "| ≥ 50% of floor | PASS |" in lines["anonymous"]  # 52.5%
    assert "≥ 50% of nginx static: 60.0% (by CPU 66.7%) | PASS |" in lines["nginx"]


def test_the_floor_is_the_mean_of_the_plain_django_runs_not_healthz():
    # 3,000 and 5,000: a floor of 4,000; /healthz (3,000) is a row, not the floor.
    lines = _report(
        floor=_row("floor", 3000, 0.5),
        **{"floor-again": _row("floor-again", 5000, 0.5)},
        healthz=_row("healthz", 1000, 0.7),
        session=_row("session", 800, 2.0),
    )

    assert "| 20.0% |" in lines["session"]  # 800 of 4,000, not 80% of /healthz
    assert "| ≥ 20% of floor | PASS |" in lines["session"]
    assert "| 25.0% |" in lines["healthz"]


def test_the_report_names_the_floor():
    lines = _report()

    conditions = next(line for line in lines.values() if "The floor:" in line)
    assert 'a plain Django 5.2 "hello world" (bench/hello' in conditions


def test_a_verdict_says_when_the_cpu_time_disagrees():
    # Slowed by the machine's load (requests/s), not by its own cost (CPU).
    lines = _report(anonymous=_row("anonymous", 1500, 0.9))

    assert "| MISS (by CPU: PASS) |" in lines["anonymous"]


def test_errors_replace_the_verdict():
    lines = _report(anonymous=_row("anonymous", 9000, 0.1, bad_responses=7))

    assert "ERRORS (7 non-2xx, 0 socket errors)" in lines["anonymous"]
    assert "PASS" not in lines["anonymous"]


def test_a_smoke_run_is_never_recorded(capsys):
    with pytest.raises(SystemExit, match="--smoke measures too briefly"):
        http_load.main(["--smoke", "--write"])
