"""The one database handle, declared here and initialised from config."""
import os
import threading
import weakref

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect, register_database
from playhouse.pool import PooledSqliteDatabase

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "temp_store": "memory",  # GROUP BY sorts in memory, not in a temp file per query
}


class QueueSqliteDatabase(PooledSqliteDatabase):
    """Pooled SQLite whose write transactions queue on a lock inside the process.

    SQLite allows one writer at a time. Threads of one server process that
    collide on the file lock fall back to SQLite's busy handler, which sleeps
    in steps of up to 100 ms; waiting on a Python lock instead hands the write
    lock over at once. Other processes still meet at the file lock (BEGIN
    IMMEDIATE plus busy_timeout).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer = threading.Lock()

    def begin(self, lock_type=None):
        self._writer.acquire()
        try:
            super().begin(lock_type)
        except BaseException:
            self._writer.release()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self._writer.release()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._writer.release()


register_database(QueueSqliteDatabase, "sqlite+queue")


def open_database(url):
    """Open the database named by ``url`` (sqlite:///, postgresql://) and bind the proxy.

    SQLite write transactions take the write lock up front (BEGIN IMMEDIATE): a
    read-then-write transaction that upgrades its lock later fails with
    "database is locked" under concurrency, whatever the busy timeout.
    Connections are pooled: a request reuses an open connection instead of
    opening the file and setting the pragmas again.
    """
    if url.startswith("sqlite:"):
        database = connect("sqlite+queue:" + url[len("sqlite:"):], pragmas=SQLITE_PRAGMAS,
                           lock_type="IMMEDIATE", check_same_thread=False,
                           max_connections=None, stale_timeout=300)
        _ensure_parent_dir(database)
    else:
        scheme, rest = url.split(":", 1)
        database = connect(scheme.split("+")[0] + "+pool:" + rest,
                           max_connections=int(os.environ.get("QUEUE_DB_POOL", "32")),
                           stale_timeout=300, timeout=10)
    db.initialize(database)
    return database


class Prepared:
    """A query whose SQL peewee writes once per database; each call binds new values.

    Peewee rebuilds a statement's SQL from its expression tree on every execution,
    which on the hot paths (issuing a ticket, the wait estimate) cost more than
    running it. ``build(*values)`` returns the peewee query for those values. Its
    SQL must not depend on them (no IN list of varying length), and its parameters
    must be exactly the values, in order: checked when the SQL is first written.
    Rows come back as the driver gives them (SQLite: ISO text for datetimes).
    """

    def __init__(self, build):
        self.build = build
        self._sql = weakref.WeakKeyDictionary()

    def sql(self, values):
        database = db.obj
        sql = self._sql.get(database)
        if sql is None:
            sql, params = self.build(*values).sql()
            if list(params) != list(values):
                raise ValueError(f"prepared query: parameters {params!r} are not the "
                                 f"values {values!r}, in order")
            self._sql[database] = sql
        return sql

    def rows(self, *values):
        """All rows, as tuples."""
        return db.execute_sql(self.sql(values), values).fetchall()

    def run(self, *values):
        """Execute a statement that returns no rows (UPDATE, DELETE); the rows it changed."""
        return db.execute_sql(self.sql(values), values).rowcount

    def models(self, model, *values):
        """The rows as ``model`` instances (converted by its fields)."""
        return list(model.raw(self.sql(values), *values))


def is_sqlite():
    """True when the bound database is SQLite (locking and SQL dialect differ)."""
    return isinstance(db.obj, SqliteDatabase)


def _ensure_parent_dir(database):
    path = database.database
    if path and path != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
