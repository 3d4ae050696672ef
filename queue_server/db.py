"""The one database handle, declared here and initialised from config."""
from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
}


def open_database(url):
    """Open the database named by ``url`` (sqlite:///, postgresql://) and bind the proxy.

    SQLite write transactions take the write lock up front (BEGIN IMMEDIATE): a
    read-then-write transaction that upgrades its lock later fails with
    "database is locked" under concurrency, whatever the busy timeout.
    """
    if url.startswith("sqlite:"):
        # Pooled: a request reuses an open connection instead of opening the file
        # and setting the pragmas again (a third of a ticket issue's time).
        database = connect("sqlite+pool:" + url[len("sqlite:"):], pragmas=SQLITE_PRAGMAS,
                           lock_type="IMMEDIATE", check_same_thread=False,
                           max_connections=None, stale_timeout=300)
        _ensure_parent_dir(database)
    else:
        database = connect(url, autorollback=True)
    db.initialize(database)
    return database


def is_sqlite():
    """True when the bound database is SQLite (locking and SQL dialect differ)."""
    return isinstance(db.obj, SqliteDatabase)


def _ensure_parent_dir(database):
    import os

    path = database.database
    if path and path != ":memory:":
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
