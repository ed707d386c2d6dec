"""Django's database cache, fit to hold counters (the rate limits' store
without Redis: settings.CACHES["ratelimit"], issue 15 §1).

Django's DatabaseCache has no `incr` of its own: BaseCache's reads the value,
then `set()`s value + 1 with the cache's default timeout. Two posts counted at
once then count one, and every count's expiry moves to "now + TIMEOUT": an
hourly window that a second post stretches, a one-minute one that becomes
five. This `incr` takes the row's lock first (an UPDATE of the row, which
PostgreSQL and SQLite alike hold to the end of the transaction), then writes
the new value and leaves the expiry alone, as Redis' INCR does.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils.timezone import now as tz_now


class CounterDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table, cache_key, value, expires = (
            quote_name(name) for name in (self._table, "cache_key", "value", "expires")
        )
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            # Locks the row (and, on SQLite, the database) before reading it.
            cursor.execute(
                f"UPDATE {table} SET {expires} = {expires} "  # noqa: S608 (quoted names)
                f"WHERE {cache_key} = %s AND {expires} > %s",
                [key, now],
            )
            if cursor.rowcount != 1:
                raise ValueError(f"Key '{key}' not found.")
            cursor.execute(
                f"SELECT {value} FROM {table} WHERE {cache_key} = %s",  # noqa: S608
                [key],
            )
            stored = connection.ops.process_clob(cursor.fetchone()[0])
            new_value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301
            pickled = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {value} = %s WHERE {cache_key} = %s",  # noqa: S608
                [pickled.decode("latin1"), key],
            )
        return new_value
