"""The HTTP bench's outside tools: wrk (the load generator) and nginx (the
front), from Debian's packages, installed when missing.

Installing never starts the system's nginx service: the bench runs nginx
itself, on loopback, with its own configuration, and stops it after.
"""

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from bench.common import progress

# Each command, and the Debian packages that provide it, the first preferred
# (nginx-light is the smallest build with the proxy cache and gzip_static).
PACKAGES = {"wrk": ("wrk",), "nginx": ("nginx-light", "nginx")}
# Debian's invoke-rc.d asks this script whether a package may start its
# service; exit status 101 means "no".
POLICY_RC_D = Path("/usr/sbin/policy-rc.d")


def find(command):
    """The command's path, or None. nginx lives in /usr/sbin, which a
    non-root PATH often lacks."""
    return shutil.which(command) or shutil.which(command, path="/usr/sbin:/usr/bin")


def ensure_installed():
    """{command: path} for wrk and nginx, installing what is missing (as root)."""
    missing = [command for command in PACKAGES if find(command) is None]
    if missing:
        wanted = [PACKAGES[command][0] for command in missing]
        if os.geteuid() != 0:
            sys.exit(
                f"The HTTP bench needs {' and '.join(missing)}: "
                f"run `apt-get install {' '.join(wanted)}` as root, then again."
            )
        progress(f"Installing {', '.join(wanted)} from Debian's packages")
        with _services_not_started():
            if not _apt_get_install(wanted):
                progress("Install failed; refreshing the package lists (apt-get update)")
                subprocess.run(["apt-get", "update", "-qq"], check=False)
                if not _apt_get_install(wanted):
                    # Debian releases without nginx-light's flavour: plain nginx.
                    fallback = [PACKAGES[command][-1] for command in missing]
                    if fallback == wanted or not _apt_get_install(fallback):
                        sys.exit(f"Could not install {' '.join(wanted)} with apt-get.")
    paths = {command: find(command) for command in PACKAGES}
    if None in paths.values():
        sys.exit(f"Still missing after installing: {paths}")
    return paths


def _apt_get_install(packages):
    """True once installed; apt's chatter is shown only when it fails."""
    environment = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(result.stdout[-2000:] + result.stderr[-2000:], file=sys.stderr)
    return result.returncode == 0


@contextmanager
def _services_not_started():
    """Keep apt from starting nginx's system service (the bench runs its own).
    Where no policy-rc.d exists, one that refuses every start is put in place
    for the install and removed after."""
    if POLICY_RC_D.exists():
        yield
        return
    POLICY_RC_D.write_text(
        "#!/bin/sh\n# Put here by Newsroom's HTTP bench while installing.\nexit 101\n"
    )
    POLICY_RC_D.chmod(0o755)
    try:
        yield
    finally:
        POLICY_RC_D.unlink(missing_ok=True)


def first_line_of(command_line):
    """The first line a version command prints (nginx -v and wrk -v write to
    stderr, and wrk exits 1 after it)."""
    result = subprocess.run(command_line, capture_output=True, text=True, check=False)
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"
