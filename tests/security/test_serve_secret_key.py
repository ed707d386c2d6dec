"""`bin/serve` (make serve) writes the checkout's own SECRET_KEY to
`.secret-key` when none is set: readable by its owner only, whatever the
umask (issue 15 §11). The script itself runs, in a copy of the checkout's
layout; a stand-in interpreter runs the real one for the key and stops the
script at the first `manage.py` (nothing past the key is under test)."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

STAND_IN_PYTHON = f"""#!/bin/sh
if [ "$1" = "-c" ]; then exec {sys.executable} "$@"; fi
exit 3
"""


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / "bin").mkdir()
    shutil.copy2(ROOT / "bin" / "serve", tmp_path / "bin" / "serve")
    python = tmp_path / "python"
    python.write_text(STAND_IN_PYTHON)
    python.chmod(0o755)
    return tmp_path


def serve(checkout):
    """bin/serve under the common umask 022, without SECRET_KEY."""
    environment = {"PATH": os.environ["PATH"], "PY": str(checkout / "python")}
    result = subprocess.run(
        ["/bin/bash", "-c", "umask 022 && exec bin/serve"],
        cwd=checkout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr  # stopped at manage.py, past the key
    return checkout / ".secret-key"


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_local_key_is_not_readable_by_other_users_of_the_machine(checkout):
    key = serve(checkout)

    assert mode(key) == 0o600
    assert len(key.read_text().strip()) >= 50


def test_a_key_left_readable_by_an_older_version_is_tightened_and_kept(checkout):
    key = checkout / ".secret-key"
    key.write_text("an-older-key-of-this-checkout\n")
    key.chmod(0o644)

    serve(checkout)

    assert mode(key) == 0o600
    assert key.read_text() == "an-older-key-of-this-checkout\n"


def test_an_empty_key_file_left_readable_is_replaced_by_a_private_one(checkout):
    key = checkout / ".secret-key"
    key.touch()
    key.chmod(0o644)

    serve(checkout)

    assert mode(key) == 0o600
    assert len(key.read_text().strip()) >= 50
