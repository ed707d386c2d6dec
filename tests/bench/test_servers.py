"""bench/servers.py: the nginx the HTTP bench runs is deploy/nginx/newsroom.conf's,
on loopback, with every path under the bench's own directories."""

import re
import shutil
import subprocess

import pytest

from bench.servers import DEPLOYED_NGINX, nginx_config


def _config(tmp_path):
    return nginx_config(
        prefix=tmp_path / "nginx",
        port=8143,
        app_port=8141,
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )


def _directives(text, name):
    """Each `name ...;` directive in text, comments dropped, whitespace squeezed."""
    text = "\n".join(line.split("#", 1)[0] for line in text.splitlines())
    return [" ".join(found.split()) for found in re.findall(rf"\b{name}\b[^;{{]*;", text)]


@pytest.mark.parametrize(
    "directive",
    [
        "proxy_cache_bypass",
        "proxy_no_cache",
        "proxy_cache_valid",
        "proxy_cache_lock",
        "proxy_cache_key",
        "proxy_ignore_headers",
        "proxy_cache_use_stale",
    ],
)
def test_the_micro_cache_rules_are_the_deployed_ones(tmp_path, directive):
    deployed = _directives(DEPLOYED_NGINX.read_text(), directive)

    assert deployed
    assert _directives(_config(tmp_path), directive) == deployed


def test_the_personal_cookie_map_is_the_deployed_one(tmp_path):
    config = _config(tmp_path)

    for cookie in ("sessionid", "newsroom_pending", "newsroom_commenter"):
        assert f"(^|;\\s*){cookie}=" in config


def test_every_path_is_under_the_bench_directories_and_ports_on_loopback(tmp_path):
    config = _config(tmp_path)

    assert f"proxy_cache_path {tmp_path}/nginx/micro-cache " in config
    assert f"alias {tmp_path}/static/;" in config
    assert f"alias {tmp_path}/media/;" in config
    assert "server 127.0.0.1:8141;" in config
    assert "listen 127.0.0.1:8143;" in config
    assert "/srv/" not in config
    assert "ssl_certificate" not in config


@pytest.mark.skipif(shutil.which("nginx", path="/usr/sbin:/usr/bin") is None, reason="no nginx")
def test_nginx_accepts_the_generated_configuration(tmp_path):
    (tmp_path / "nginx").mkdir()
    config_file = tmp_path / "nginx" / "nginx.conf"
    config_file.write_text(_config(tmp_path))
    nginx = shutil.which("nginx", path="/usr/sbin:/usr/bin")

    result = subprocess.run(  # noqa: S603  (Debian's nginx, our own file)
        [
            nginx,
            "-t",
            "-q",
            "-e",
            str(tmp_path / "error.log"),
            "-p",
            str(tmp_path / "nginx"),
            "-c",
            str(config_file),
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
