"""One serving process per database, unless a message queue joins several.

Socket.IO rooms live in each process's memory: a second process on the same database
without ``QUEUE_MESSAGE_QUEUE`` would serve its own boards and never hear the other's
calls (measured: 3 of 8 boards heard none of 8 calls with ``gunicorn -w 4``). So a
serving app holds a lock for its life, however it was started (``queue-server run``,
gunicorn by hand, several workers): an exclusive ``flock`` on a file beside the SQLite
database, or a PostgreSQL session advisory lock. The operating system or PostgreSQL
releases it when the process ends, SIGKILL included.
"""
import logging
import os
import sys

from .db import db

log = logging.getLogger(__name__)

#: The advisory lock's key on PostgreSQL (one per database): "QUEU".
ADVISORY_KEY = 0x51554555
_held = []  # the open lock file or connection, kept for the life of the process


class AnotherServer(SystemExit):
    """Another process serves this database and no message queue joins them.

    Exits with status 3, gunicorn's "worker failed to boot": its master then stops
    instead of starting the worker again and again."""

    def __init__(self, where):
        message = (f"Another queue-server process is already serving this database "
                   f"({where}). Several processes need a message queue that joins them: "
                   f"set QUEUE_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 for every process "
                   f"(docs/scale-out.md), or stop the other one.")
        log.error(message)
        print(message, file=sys.stderr, flush=True)
        self.message = message
        super().__init__(3)


def hold(app):
    """Take the database's serving lock, or raise ``AnotherServer``."""
    if app.config.get("MESSAGE_QUEUE") or not app.config.get("SERVER_LOCK", True):
        return
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:"):
        _hold_file(db.obj.database + "-serving.lock")
    else:
        _hold_advisory(url)


def _hold_file(path):
    handle = open(path, "a+b")  # noqa: SIM115 - kept open for the life of the process
    try:
        if os.name == "posix":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        handle.close()
        raise AnotherServer(path) from None
    _held.append(handle)


def _hold_advisory(url):
    connection = db.obj._connect()  # a connection of its own, outside the pool
    cursor = connection.cursor()
    cursor.execute("SELECT pg_try_advisory_lock(%s)", (ADVISORY_KEY,))
    if not cursor.fetchone()[0]:
        connection.close()
        raise AnotherServer(url.split("@")[-1])
    if not getattr(connection, "autocommit", True):
        connection.commit()
    _held.append(connection)
