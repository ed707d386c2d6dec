"""deploy/nginx/newsroom.conf, as it ships: its micro-cache never serves a
stale copy (issue 15 §5), and it rate-limits the requests that bypass it,
never the admin (issue 15 §9).

The limits are tried on a real nginx (Debian's, skipped where it is not
installed), run on loopback from a temporary directory with the file's own
rules (bench/servers.py builds that configuration for the HTTP bench), in
front of a small upstream that answers every request."""

import http.server
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.servers import DEPLOYED_NGINX, nginx_config

NGINX = shutil.which("nginx", path="/usr/sbin:/usr/bin")


def directives(name):
    """Each `name ...;` directive of the deployed file, comments dropped."""
    text = "\n".join(line.split("#", 1)[0] for line in DEPLOYED_NGINX.read_text().splitlines())
    return [" ".join(found.split()) for found in re.findall(rf"\b{name}\b[^;{{]*;", text)]


def test_nginx_never_serves_a_stale_copy():
    assert directives("proxy_cache_use_stale") == ["proxy_cache_use_stale off;"]
    assert directives("proxy_cache_background_update") in (
        [],
        ["proxy_cache_background_update off;"],
    )


def test_nginx_keeps_a_copy_a_second_at_most():
    assert directives("proxy_cache_valid") == ["proxy_cache_valid 200 301 404 1s;"]


def test_the_rate_limit_is_applied_where_the_app_is_proxied():
    assert directives("limit_req") == ["limit_req zone=newsroom_uncached burst=300 nodelay;"]
    assert directives("limit_req_zone") == [
        "limit_req_zone $newsroom_uncached_client zone=newsroom_uncached:10m rate=30r/s;"
    ]


# --- On a real nginx ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx():
    """The deployed rules on loopback, their limit made small and slow
    (1 a minute, a burst of 2) so a test counts requests, not time. Yields
    get(path, cookie=None) -> status."""
    if NGINX is None:
        pytest.skip("nginx is not installed")
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    # Not pytest's tmp_path: nginx's workers run as nobody when the tests run
    # as root, and must reach their temporary files.
    work = Path(tempfile.mkdtemp(prefix="newsroom-nginx-test-"))
    work.chmod(0o755)
    port = free_port()
    config = nginx_config(
        prefix=work / "nginx",
        port=port,
        app_port=upstream.server_address[1],
        static_root=work / "static",
        media_root=work / "media",
    )
    config, limited = re.subn(r"rate=\d+r/s", "rate=1r/m", config)
    config, bursts = re.subn(r"burst=\d+", "burst=2", config)
    assert limited == bursts == 1
    (work / "nginx").mkdir()
    (work / "nginx").chmod(0o755)
    (work / "nginx" / "nginx.conf").write_text(config)
    command = [NGINX, "-e", str(work / "error.log"), "-p", str(work / "nginx")]
    command += ["-c", str(work / "nginx" / "nginx.conf")]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    try:
        _wait_for(port, server)

        def get(path, cookie=None):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
            if cookie:
                request.add_header("Cookie", cookie)
            try:
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        yield get
    finally:
        server.send_signal(signal.SIGQUIT)
        server.wait(timeout=10)
        upstream.shutdown()
        upstream.server_close()
        shutil.rmtree(work, ignore_errors=True)


def _wait_for(port, server):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"nginx exited: {server.stderr.read().decode()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)  # nginx starting: not a rule's timing
    pytest.fail("nginx did not start listening")


def test_random_query_strings_that_defeat_the_micro_cache_are_limited(nginx):
    statuses = [nginx(f"/?x={n}") for n in range(6)]
    assert statuses[:3] == [200, 200, 200]  # one, and the burst of two
    assert set(statuses[3:]) == {429}


def test_junk_personal_cookies_are_limited(nginx):
    statuses = [nginx("/", cookie=f"messages=junk{n}") for n in range(6)]
    assert statuses.count(429) == 3


def test_the_admin_is_never_limited(nginx):
    assert {nginx(f"/admin/?x={n}", cookie="sessionid=abc") for n in range(10)} == {200}


def test_pages_the_micro_cache_answers_are_never_limited(nginx):
    paths = ["/", "/?page=2", "/some-section/?page=3"] * 4
    assert {nginx(path) for path in paths} == {200}
