"""Runs wrk (the HTTP load generator) and reads its report."""

import re
import subprocess
from contextlib import nullcontext
from dataclasses import dataclass

# wrk writes latencies as 812.00us, 4.56ms or 1.02s.
_TO_MILLISECONDS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Load:
    """How hard to push: wrk's threads and open connections, and for how long."""

    threads: int
    connections: int
    seconds: int
    warmup_seconds: int


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    # Responses that were not 2xx or 3xx, and connect/read/write/timeout errors:
    # a fast figure made of errors is no figure.
    bad_responses: int
    socket_errors: int

    @property
    def clean(self):
        return self.bad_responses == 0 and self.socket_errors == 0


def run(wrk, url, load, *, headers=(), measuring=None):
    """Warm up (result discarded), then measure `url`; returns a WrkResult.

    `measuring`, a context manager, is entered for the measured part only.
    """
    if load.warmup_seconds:
        _wrk(wrk, url, load, load.warmup_seconds, headers)
    with measuring or nullcontext():
        output = _wrk(wrk, url, load, load.seconds, headers)
    return parse(output)


def _wrk(wrk, url, load, seconds, headers):
    command = [
        wrk,
        f"--threads={load.threads}",
        f"--connections={load.connections}",
        f"--duration={seconds}s",
        "--timeout=5s",
        "--latency",
    ]
    for header in headers:
        command += ["--header", header]
    command.append(url)
    # Bounded: wrk stops itself after `seconds`; the margin covers its start.
    result = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    )
    return result.stdout


def parse(output):
    def number(pattern, default=None):
        match = re.search(pattern, output)
        if match is None:
            if default is None:
                raise ValueError(f"wrk's report has no {pattern!r}:\n{output}")
            return default
        return match.groups()

    (requests_per_second,) = number(r"Requests/sec:\s+([\d.]+)")
    (requests,) = number(r"(\d+) requests in")
    (bad,) = number(r"Non-2xx or 3xx responses:\s+(\d+)", ("0",))
    socket_errors = number(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", ("0",)
    )
    return WrkResult(
        requests_per_second=float(requests_per_second),
        p50_ms=_latency(output, 50),
        p99_ms=_latency(output, 99),
        requests=int(requests),
        bad_responses=int(bad),
        socket_errors=sum(int(count) for count in socket_errors),
    )


def _latency(output, percentile):
    match = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        raise ValueError(f"wrk's report has no {percentile}% latency:\n{output}")
    return float(match.group(1)) * _TO_MILLISECONDS[match.group(2)]
