"""What both benches need: progress lines, a PostgreSQL database of their own,
a description of the machine, and their blocks in docs/performance.md.

Nothing here imports Django: the benches set the environment first.
"""

import os
import platform
import re
import sys
import time
from contextlib import closing
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PERFORMANCE_DOC = REPO / "docs" / "performance.md"
RELIABILITY_DOC = REPO / "docs" / "reliability.md"

# A bench marks the database it creates with this comment, so that a later run
# may drop one an interrupted run left behind, and never any other database.
BENCH_DATABASE_COMMENT = "Throwaway database of Newsroom's bench; safe to drop."
# What bench/server_side.py wrote before bench/common.py existed.
_EARLIER_BENCH_DATABASE_COMMENTS = (
    BENCH_DATABASE_COMMENT,
    "Throwaway database of Newsroom's bench/server_side.py; safe to drop.",
)


def progress(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- A PostgreSQL database of the bench's own -------------------------------------------


def is_postgresql(database_url):
    return database_url.startswith(("postgres://", "postgresql://"))


def _server_connection(database_url):
    import environ
    import psycopg2

    config = environ.Env.db_url_config(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    return connection, config["NAME"]


def create_own_database(database_url):
    """Create the URL's database and mark it as the bench's; returns its name.

    Exits if a database of that name exists and is not a bench's own. One an
    interrupted bench left behind is dropped and made anew.
    """
    from psycopg2 import sql

    connection, name = _server_connection(database_url)
    # Autocommit and no `with connection:` (that opens a transaction, and
    # CREATE/DROP DATABASE refuse to run in one).
    with closing(connection), connection.cursor() as cursor:
        row = _database_comment_row(cursor, name)
        if row is not None:
            if row[0] not in _EARLIER_BENCH_DATABASE_COMMENTS:
                sys.exit(
                    f"Database {name!r} already exists and was not created by the bench: "
                    "it is left alone. Name a database that does not exist."
                )
            progress(f"Dropping {name!r}, left behind by an interrupted bench")
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        progress(f"Creating PostgreSQL database {name!r}")
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(BENCH_DATABASE_COMMENT)
            )
        )
    return name


def database_comment(database_url):
    """(exists, its comment or "") of the URL's database, e.g. a bench's mark."""
    connection, name = _server_connection(database_url)
    with closing(connection), connection.cursor() as cursor:
        row = _database_comment_row(cursor, name)
    return (False, "") if row is None else (True, row[0] or "")


def _database_comment_row(cursor, name):
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    return cursor.fetchone()


def drop_own_database(database_url):
    """Drop the database `create_own_database` made (call once nothing uses it)."""
    from psycopg2 import sql

    connection, name = _server_connection(database_url)
    with closing(connection), connection.cursor() as cursor:
        progress(f"Dropping PostgreSQL database {name!r}")
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


# --- The machine ------------------------------------------------------------------------


def cpu_model():
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return match.group(1).strip() if match else platform.machine()


def memory_gib():
    """Total memory in GiB (from /proc/meminfo), or None where there is none."""
    try:
        meminfo = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    return int(match.group(1)) / 1024 / 1024 if match else None


def machine_summary(*, with_memory=False):
    """'AMD EPYC, 2 cores[, 24 GiB], Linux 6.1': where a figure was taken."""
    parts = [cpu_model(), f"{os.cpu_count()} cores"]
    if with_memory and memory_gib() is not None:
        parts.append(f"{memory_gib():.0f} GiB of memory")
    parts.append(f"{platform.system()} {platform.release()}")
    return ", ".join(parts)


def load_average():
    return os.getloadavg()[0]


# --- Timing SQL ------------------------------------------------------------------------


class SqlTimer:
    """`with connection.execute_wrapper(timer):` the database time and number
    of the queries run through it (Django's own query log rounds each to the
    millisecond, and is off with DEBUG off)."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


# --- docs/performance.md ---------------------------------------------------------------


def write_block(name, text, *, document=PERFORMANCE_DOC):
    """Replace the block between `<!-- bench:NAME:start -->` and its end marker
    in `document` (docs/performance.md unless told), appended at the end when
    there is none yet."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text_before = document.read_text() if document.exists() else ""
    block = f"{start}\n{text}\n{end}"
    if start in text_before and end in text_before:
        before, rest = text_before.split(start, 1)
        text_after = before + block + rest.split(end, 1)[1]
    else:
        text_after = text_before.rstrip("\n") + "\n\n" + block + "\n"
    document.write_text(text_after)


def serve_environment(*, port, secret_key, database_url, redis_url, cache_prefix, work_dir):
    """The environment `make serve` gives gunicorn (Makefile), on plain HTTP on
    loopback, for a site of the bench's own: its database, its Redis key
    prefix, its static and media folders under `work_dir`. Production's cache
    and static storage whatever this shell says."""
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "HTTPS_ONLY": "0",
        "TASKS_BACKEND": "database",
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "SECRET_KEY": secret_key,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": cache_prefix,
        "STATIC_ROOT": str(Path(work_dir) / "static"),
        "MEDIA_ROOT": str(Path(work_dir) / "media"),
    }
    for name in (
        "CACHE_BACKEND",
        "RATELIMIT_BACKEND",
        "STATICFILES_STORAGE",
        "PAGE_CACHE",
        "FRAGMENT_CACHE",
    ):
        environment.pop(name, None)
    return environment
