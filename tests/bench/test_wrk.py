"""bench/wrk.py: reading wrk's report."""

import pytest

from bench import wrk

REPORT = """Running 10s test @ http://127.0.0.1:8141/healthz
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.05ms    2.43ms  41.55ms   80.12%
    Req/Sec     3.22k   382.11     4.10k    71.00%
  Latency Distribution
     50%  812.00us
     75%    5.85ms
     90%    7.86ms
     99%    1.02s
  64123 requests in 10.01s, 10.52MB read
{errors}Requests/sec:   6406.22
Transfer/sec:      1.05MB
"""


def test_rate_and_percentiles_are_read_in_their_units():
    result = wrk.parse(REPORT.format(errors=""))

    assert result.requests_per_second == pytest.approx(6406.22)
    assert result.requests == 64123
    assert result.p50_ms == pytest.approx(0.812)
    assert result.p99_ms == pytest.approx(1020.0)
    assert result.clean


def test_error_responses_and_socket_errors_make_a_result_unclean():
    errors = (
        "  Socket errors: connect 0, read 2, write 0, timeout 12\n  Non-2xx or 3xx responses: 5\n"
    )

    result = wrk.parse(REPORT.format(errors=errors))

    assert (result.bad_responses, result.socket_errors) == (5, 14)
    assert not result.clean


def test_a_report_without_a_rate_is_refused():
    with pytest.raises(ValueError, match="Requests/sec"):
        wrk.parse("unable to connect to 127.0.0.1:8141 Connection refused\n")
