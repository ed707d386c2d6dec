"""The servers the HTTP bench starts and stops: gunicorn as `make serve` runs
it (Newsroom, or bench/hello's plain Django: the floor), nginx in front of
it, and (only where none answers) a Redis of its own.

Each runs in a session of its own, so a Ctrl-C in the terminal reaches the
bench, which then stops them in order; each is stopped by the process id the
bench started, never by name.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import REPO, progress

NGINX_TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
DEPLOYED_NGINX = REPO / "deploy" / "nginx" / "newsroom.conf"
STOP_TIMEOUT_SECONDS = 25


class Service:
    """A process of the bench's own: started, waited for, stopped."""

    name = "service"

    def __init__(self, command, *, port, log_path, env=None, cwd=REPO):
        self.command, self.port, self.log_path = command, port, log_path
        self.env, self.cwd = env, cwd
        self.process = None

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, ready_path="/", timeout=60):
        refuse_busy_port(self.port, self.name)
        progress(f"Starting {self.name} on 127.0.0.1:{self.port}")
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited ({self.process.returncode}) while starting:\n"
                    + self.log_tail()
                )
            if self._answers(ready_path):
                return self
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout} s:\n{self.log_tail()}")

    def _answers(self, path):
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answered, if not with a 200: the checks say more
        except OSError:
            return False

    # Graceful first (gunicorn finishes its requests on SIGTERM; nginx on SIGQUIT).
    stop_signal = signal.SIGTERM

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        progress(f"Stopping {self.name}")
        self.process.send_signal(self.stop_signal)
        try:
            self.process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            # The session started with the process: its own children too.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def cpu_seconds(self):
        """CPU time (user and system) used so far by the process and every
        process under it (gunicorn's or nginx's workers)."""
        if self.process is None:
            return 0.0
        ticks = 0
        for pid in _process_tree(self.process.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone since it was listed
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def log_tail(self, characters=3000):
        """The end of the process's output (all of it with characters=None)."""
        return _tail(Path(self.log_path), characters)


class Gunicorn(Service):
    """gunicorn as `make serve` runs it: gunicorn.conf.py, from the environment."""

    name = "gunicorn"

    def __init__(
        self,
        *,
        port,
        env,
        log_path,
        label="",
        application="newsroom.wsgi:application",
        ready_path="/healthz",
    ):
        env = env | {"PORT": str(port), "BIND": f"127.0.0.1:{port}"}
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            application,
            "-c",
            "gunicorn.conf.py",
        ]
        super().__init__(command, port=port, log_path=log_path, env=env)
        self.name = f"gunicorn{f' ({label})' if label else ''}"
        self.ready_path = ready_path

    def start(self):
        return super().start(ready_path=self.ready_path)

    def recycled_workers(self):
        """Workers started after the first ones (gunicorn.conf.py's max_requests
        recycles each after a few thousand requests)."""
        booted = self.log_tail(characters=None).count("Booting worker with pid")
        return max(0, booted - int(self.env.get("WEB_CONCURRENCY", 1)))


class Nginx(Service):
    name = "nginx"
    stop_signal = signal.SIGQUIT

    def __init__(self, nginx, *, prefix, port, app_port, static_root, media_root):
        prefix = Path(prefix)
        prefix.mkdir(parents=True, exist_ok=True)
        config = prefix / "nginx.conf"
        config.write_text(
            nginx_config(
                prefix=prefix,
                port=port,
                app_port=app_port,
                static_root=static_root,
                media_root=media_root,
            )
        )
        # -e: the error log before the configuration is read, in the prefix too.
        command = [nginx, "-e", str(prefix / "error.log"), "-p", str(prefix), "-c", str(config)]
        test = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True, check=False)
        if test.returncode != 0:
            raise RuntimeError(f"nginx refuses the generated {config}:\n{test.stderr}")
        super().__init__(command, port=port, log_path=prefix / "nginx.out", cwd=prefix)

    def log_tail(self, characters=3000):
        return super().log_tail(characters) + _tail(Path(self.cwd) / "error.log", characters)


def _process_tree(root_pid):
    """root_pid and the ids of all the processes under it (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    tree, pending = [], [root_pid]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree


def _tail(path, characters):
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return text if characters is None else text[-characters:]


def refuse_busy_port(port, name):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(
                f"Port {port} (for {name}) is already in use on 127.0.0.1: "
                "stop what is there, or pick other ports with --port."
            )


# --- The nginx configuration -----------------------------------------------------------


def nginx_config(*, prefix, port, app_port, static_root, media_root):
    """bench/nginx.conf.template filled in, with deploy/nginx/newsroom.conf's rules."""
    deployed = DEPLOYED_NGINX.read_text()
    http_rules = _http_rules(deployed, prefix=prefix, app_port=app_port)
    locations = _locations(deployed, static_root=static_root, media_root=media_root)
    # Where nginx runs as root it drops its workers to an unprivileged user,
    # which must be able to read the static files and write the cache.
    user = "user nobody nogroup;" if os.geteuid() == 0 else ""
    replacements = {
        "{{USER}}": user,
        "{{PREFIX}}": str(prefix),
        "{{PORT}}": str(port),
        "{{MIME_TYPES}}": "/etc/nginx/mime.types",
        "{{DEPLOYED_HTTP_RULES}}": _indent(http_rules),
        "{{DEPLOYED_LOCATIONS}}": _indent(locations, 2),
    }
    config = NGINX_TEMPLATE.read_text()
    for placeholder, value in replacements.items():
        config = config.replace(placeholder, value)
    _refuse_outside_paths(
        _without_comments(config), allowed=(str(prefix), str(static_root), str(media_root))
    )
    return config


def _http_rules(deployed, *, prefix, app_port):
    """What the deployed file sets before its first server block, with the
    cache in the prefix and the upstream on the bench's gunicorn."""
    body = _without_comments(deployed)
    first_server = re.search(r"^server\s*\{", body, re.MULTILINE)
    if first_server is None:
        raise RuntimeError(f"{DEPLOYED_NGINX} has no server block")
    rules = body[: first_server.start()].strip()
    rules, found = re.subn(
        r"(proxy_cache_path\s+)\S+", rf"\g<1>{prefix}/micro-cache", rules, count=1
    )
    rules, upstreams = re.subn(
        r"(upstream\s+\w+\s*\{[^}]*?\bserver\s+)[^\s;]+", rf"\g<1>127.0.0.1:{app_port}", rules
    )
    if not (found and upstreams == 1):
        raise RuntimeError(f"{DEPLOYED_NGINX}: expected one proxy_cache_path and one upstream")
    return rules


def _locations(deployed, *, static_root, media_root):
    """The location blocks of the deployed server that proxies to the app,
    with the static and media directories of this run."""
    body = _without_comments(deployed)
    for server in _blocks(body, r"^server\s*\{"):
        if "proxy_pass" not in server:
            continue
        locations = []
        for location in _blocks(server, r"^\s*location\s+[^{]+\{"):
            if re.match(r"\s*location\s+/static/", location):
                location = re.sub(r"\balias\s+[^;]+;", f"alias {static_root}/;", location)
            elif re.match(r"\s*location\s+/media/", location):
                location = re.sub(r"\balias\s+[^;]+;", f"alias {media_root}/;", location)
            locations.append(textwrap.dedent(location).strip("\n"))
        return "\n\n".join(locations)
    raise RuntimeError(f"{DEPLOYED_NGINX} has no server block with proxy_pass")


def _blocks(text, opening):
    """Each `opening ... { ... }` in text, braces balanced (quoted strings skipped)."""
    for match in re.finditer(opening, text, re.MULTILINE):
        depth, index, quote = 0, match.end() - 1, None
        while index < len(text):
            character = text[index]
            if quote:
                quote = None if character == quote and text[index - 1] != "\\" else quote
            elif character in "\"'":
                quote = character
            elif character == "{":
                depth += 1
            elif character == "}":
                depth -= 1
                if depth == 0:
                    yield text[match.start() : index + 1]
                    break
            index += 1


def _without_comments(config):
    # A `#` starts a comment unless it is inside quotes; the deployed file has
    # none in quotes, so a line-wise cut is enough (and checked by nginx -t).
    text = "\n".join(line.split("#", 1)[0].rstrip() for line in config.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text)


def _refuse_outside_paths(config, *, allowed):
    for path in re.findall(r"(?<![\w/.$])(/(?:srv|var|etc|run|home|opt|tmp)/[^\s;\"']*)", config):
        if path != "/etc/nginx/mime.types" and not path.startswith(allowed):
            raise RuntimeError(f"The bench's nginx configuration would use {path}")


def _indent(text, levels=1):
    pad = "    " * levels
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


# --- Redis ---------------------------------------------------------------------------------


class Redis(Service):
    """A throwaway Redis (no persistence), only where none answers at REDIS_URL."""

    name = "redis-server"

    def __init__(self, *, port, directory):
        command = [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ]
        super().__init__(command, port=port, log_path=Path(directory) / "redis.log", cwd=directory)

    def _answers(self, path):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False
