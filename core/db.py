"""Running the hot pages' fixed statements as prepared statements."""


def execute_prepared(cursor, sql, params):
    """`cursor.execute(sql, params)`, prepared once per connection where the
    database backend can (core/postgresql: PostgreSQL then only runs the
    statement, without parsing and planning it again). Only for a statement
    whose text is the same on every call: each text is prepared once per
    connection and kept while it lasts."""
    execute = getattr(cursor.db, "execute_prepared", None)
    if execute is None:
        return cursor.execute(sql, params)
    return execute(cursor, sql, params)
