"""The one database handle, declared here and initialised from config."""
import logging
import os
import shutil
import threading
import weakref

from peewee import DatabaseError, DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect, register_database
from playhouse.pool import PooledSqliteDatabase

from .errors import StorageUnavailable

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "temp_store": "memory",  # GROUP BY sorts in memory, not in a temp file per query
}


#: SQLite's primary result codes for a disk that cannot take a write:
#: SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL (extended codes keep them in the low byte).
SQLITE_STORAGE_CODES = {8, 10, 13}
SQLITE_STORAGE_MESSAGES = ("database or disk is full", "attempt to write a readonly database",
                           "disk i/o error")
#: PostgreSQL SQLSTATEs: disk full, out of resources, read-only transaction, I/O error.
POSTGRES_STORAGE_CODES = {"53100", "53000", "25006", "58030"}


def storage_error(exc):
    """A ``StorageUnavailable`` when ``exc`` says the disk is full, read-only or failing.

    ``exc`` is a database error as peewee raises it or as the driver raised it;
    anything else gives None.
    """
    if isinstance(exc, StorageUnavailable):
        return exc
    # peewee keeps the driver's error as ``orig`` (and as the exception's context)
    candidates = (exc, getattr(exc, "orig", None), exc.__cause__, exc.__context__)
    for candidate in (c for c in candidates if isinstance(c, Exception)):
        code = getattr(candidate, "sqlite_errorcode", None)
        if (code is not None and code & 0xFF in SQLITE_STORAGE_CODES) or \
                getattr(candidate, "pgcode", None) in POSTGRES_STORAGE_CODES or \
                any(m in str(candidate).lower() for m in SQLITE_STORAGE_MESSAGES):
            trouble = StorageUnavailable(
                "The server cannot write to its database (disk full, read-only or failing); "
                "nothing was saved. Try again once an administrator has fixed the disk.")
            trouble.__cause__ = exc
            return trouble
    return None


class _StorageErrors:
    """A context that turns a storage failure into ``StorageUnavailable``."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        trouble = storage_error(exc) if isinstance(exc, DatabaseError) else None
        if trouble is not None:
            raise trouble from exc
        return False


_storage_errors = _StorageErrors()


class QueueSqliteDatabase(PooledSqliteDatabase):
    """Pooled SQLite whose write transactions queue on a lock inside the process.

    SQLite allows one writer at a time. Threads of one server process that
    collide on the file lock fall back to SQLite's busy handler, which sleeps
    in steps of up to 100 ms; waiting on a Python lock instead hands the write
    lock over at once. Other processes still meet at the file lock (BEGIN
    IMMEDIATE plus busy_timeout).

    The lock is released exactly once per transaction, whatever fails: each
    thread remembers whether it holds it (a ``threading.Lock`` may be released
    by any thread, so a second release would free another thread's write).
    A full, read-only or failing disk raises ``StorageUnavailable``.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer = threading.Lock()
        self._holding = threading.local()

    def _take_writer(self):
        self._writer.acquire()
        self._holding.writer = True

    def _give_writer(self):
        if getattr(self._holding, "writer", False):
            self._holding.writer = False
            self._writer.release()

    def _in_transaction(self):
        conn = self._state.conn
        return conn is not None and conn.in_transaction

    def execute_sql(self, sql, params=None):
        with _storage_errors:
            return super().execute_sql(sql, params)

    def begin(self, lock_type=None):
        self._take_writer()
        try:
            with _storage_errors:
                super().begin(lock_type)
        except BaseException:
            self._give_writer()
            raise

    def commit(self):
        try:
            with _storage_errors:
                super().commit()
        except BaseException:
            # A failed COMMIT leaves the transaction open (a deferred constraint,
            # SQLITE_BUSY) or already rolled back (disk full): end it here and
            # release once; peewee's rollback that follows then has nothing to do.
            self._abandon()
            raise
        self._give_writer()

    def rollback(self):
        try:
            if self._in_transaction():
                super().rollback()
        finally:
            self._give_writer()

    def _abandon(self):
        try:
            if self._in_transaction():
                super().rollback()
        except Exception:  # the commit's error is the one to report
            logging.getLogger(__name__).exception("Rollback after a failed commit failed")
        finally:
            self._give_writer()


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


#: Below this much free space beside the SQLite file, health reports trouble: a
#: one-page probe still fits in the WAL's old frames while a ticket's commit
#: (some ten pages) no longer does (measured on a full 1 MB tmpfs).
MIN_FREE_BYTES = 1024 * 1024


def check_writable(min_free_bytes=MIN_FREE_BYTES):
    """Raise ``StorageUnavailable`` unless the database takes a write now.

    For health checks: rewrites one row of the migration history with its own
    value and commits, so a read-only or failing disk shows here before a
    citizen's ticket fails; for SQLite also less than ``min_free_bytes`` free
    beside the file. Other database errors propagate.
    """
    try:
        with db.atomic():
            db.execute_sql('UPDATE "schema_migration" SET "name" = "name" WHERE "id" = '
                           '(SELECT MIN("id") FROM "schema_migration")')
    except DatabaseError as exc:
        trouble = storage_error(exc)
        if trouble is None:
            raise
        raise trouble from exc
    path = db.obj.database if is_sqlite() else None
    if path and path != ":memory:":
        free = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
        if free < min_free_bytes:
            raise StorageUnavailable(f"Only {free} bytes are free beside the database file.")


def db_writable(min_free_bytes=MIN_FREE_BYTES):
    """True when the database takes a write now; False on a full, read-only or failing disk."""
    try:
        check_writable(min_free_bytes)
    except StorageUnavailable:
        return False
    return True


def _ensure_parent_dir(database):
    path = database.database
    if path and path != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
