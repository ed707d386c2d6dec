"""Django's PostgreSQL backend, with two savings on the database's CPU.

settings.py selects it (ENGINE "core.postgresql") whenever DATABASE_URL is
a PostgreSQL one. It changes no query's meaning; docs/performance.md has the
figures.

1. Prepared statements (`execute_prepared`). psycopg2 sends every statement
   as text, so PostgreSQL parses and plans it again each time. For the few
   statements every cold article page runs, planning costs PostgreSQL more CPU
   than running them: prepared once per connection (SQL `PREPARE`) and then
   run with `EXECUTE`, the page's three statements cost it about a third.
   Only statements whose text is fixed are prepared (callers choose), so a
   connection holds a handful. Turn it off with DATABASE_PREPARED_STATEMENTS=0
   behind a pooler that shares one server connection between clients
   (PgBouncer in transaction mode): a statement prepared on one would be
   missing on the next.

2. A cheaper health check. With CONN_HEALTH_CHECKS Django sends `SELECT 1`
   before the first query of every request, to find a persistent connection
   the server has closed (a restart, a failover, an idle timeout) before a
   reader's query does. When the server closes a connection, it says so
   first, and the socket becomes readable; an idle connection's socket has
   nothing to read otherwise (the site never LISTENs). So the `SELECT 1` is
   sent only when there is something to read; an idle, quiet socket is a
   live connection as far as the server has said.
"""

import re
import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        # Prepared statements live as long as their server connection.
        self.prepared_statements = {}
        return connection

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.connection.closed
            and not _has_something_to_read(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def execute_prepared(self, cursor, sql, params):
        """Run `sql` with `params` on `cursor` (a cursor of this connection)
        as a prepared statement, preparing it on this connection's first use.

        The PREPARE goes straight to psycopg2: it is set-up, done once per
        connection, so it is not one of the request's queries (what the query
        budget tests count and Django's execute wrappers see)."""
        if not self.settings_dict.get("PREPARED_STATEMENTS", True):
            return cursor.execute(sql, params)
        name = self.prepared_statements.get(sql)
        if name is None:
            name = f"newsroom_{len(self.prepared_statements) + 1}"
            with self.wrap_database_errors:
                cursor.cursor.execute(f"PREPARE {name} AS {numbered_parameters(sql)}")
            self.prepared_statements[sql] = name
        if not params:
            return cursor.execute(f"EXECUTE {name}")
        return cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)


def _has_something_to_read(connection):
    # poll rather than select: select fails on a descriptor numbered past 1023.
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


_PLACEHOLDER = re.compile(r"%[s%]")


def numbered_parameters(sql):
    """psycopg2's placeholders (%s, and %% for a literal %) as PREPARE's ($1, $2…)."""
    numbers = iter(range(1, sql.count("%s") + 1))
    return _PLACEHOLDER.sub(lambda match: "%" if match[0] == "%%" else f"${next(numbers)}", sql)
