"""Storage trouble: a full or read-only disk is a 503, and the writer lock is released once."""
import sqlite3
import threading

import pytest
from peewee import IntegrityError

from queue_server.db import db
try:
    from queue_server.db import db_writable, storage_error
except ImportError:
    db_writable = storage_error = None
from queue_server.errors import QueueError as StorageUnavailable
from queue_server.models import Counter, Ticket
from tests.services import POSTGRES


def _issue(client):
    return client.post("/api/v1/tickets", json={"service": "A"})


def _storage_unavailable(response):
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.json["error"]["code"] == "storage_unavailable"
    assert response.json["error"]["message"]


def _writes_from_another_thread():
    """True when another thread can take the writer lock and commit within 5 s."""
    done = []

    def write():
        with db.connection_context(), db.atomic():
            Counter.update(paused=False).where(Counter.number == 1).execute()
        done.append(True)

    worker = threading.Thread(target=write, daemon=True)
    worker.start()
    worker.join(5)
    return done == [True]


@pytest.mark.sqlite_only
def test_a_failing_commit_releases_the_writer_lock_exactly_once(app):
    # A deferred foreign key makes SQLite's own COMMIT fail (and stay open).
    with pytest.raises(IntegrityError):  # the commit's error, not "release unlocked lock"
        with db.atomic():
            db.execute_sql("PRAGMA defer_foreign_keys = ON")
            Counter.insert(office=999999, number=99, name="ghost").execute()
    assert not db.obj._writer.locked()
    assert Counter.get_or_none(Counter.number == 99) is None  # rolled back
    assert _writes_from_another_thread()
    with db.atomic():  # and this thread goes on writing
        Counter.update(paused=False).where(Counter.number == 1).execute()
    assert not db.obj._writer.locked()


@pytest.mark.sqlite_only
def test_a_failed_statement_releases_the_writer_lock_once(app):
    with pytest.raises(IntegrityError):
        with db.atomic():
            Counter.insert(office=999999, number=98, name="ghost").execute()
    assert not db.obj._writer.locked()
    assert _writes_from_another_thread()


def _make_read_only(db_url):
    """From now on every new connection may only read (SQLite: query_only; PostgreSQL:
    read-only transactions): what a read-only or remounted disk does to writes."""
    if POSTGRES:
        from tests.services import postgres_admin

        name = db_url.rsplit("/", 1)[1]
        postgres_admin(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
    else:
        db.obj.pragma("query_only", 1, permanent=True)
    db.close_all()


def test_issue_and_call_on_a_read_only_database_are_503s(app, client, db_url, auth_header):
    clerk = auth_header("clerk1")  # a token, while the disk still takes writes
    assert _issue(client).status_code == 201
    _make_read_only(db_url)
    _storage_unavailable(_issue(client))
    assert "quý khách thử lại" in _issue(client).json["error"]["message"]  # vi by default
    english = client.post("/api/v1/tickets?lang=en", json={"service": "A"})
    assert "disk is full" in english.json["error"]["message"]
    _storage_unavailable(client.post("/api/v1/counters/1/call-next", headers=clerk))
    assert not db_writable()
    if not POSTGRES:
        assert not db.obj._writer.locked()


@pytest.mark.sqlite_only
def test_issue_on_a_full_database_is_a_503(app, client):
    # SQLite's max_page_count caps the file where it is: the first insert that needs
    # one more page fails with SQLITE_FULL, "database or disk is full".
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.obj.pragma("max_page_count", pages, permanent=True)
    db.close_all()
    issued = 0
    for _ in range(2000):
        response = _issue(client)
        if response.status_code != 201:
            break
        issued += 1
    _storage_unavailable(response)
    assert Ticket.select().count() == issued  # the failed one left nothing behind
    assert not db.obj._writer.locked()


def test_db_writable_says_whether_a_write_goes_through(app, db_url):
    assert db_writable()
    _make_read_only(db_url)
    assert not db_writable()


def test_healthz_is_503_while_the_database_takes_no_writes(app, client, db_url):
    assert client.get("/healthz").json["status"] == "ok"
    _make_read_only(db_url)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "storage_unavailable"


def test_the_console_says_so_on_a_read_only_database(app, client, db_url):
    from tests.views.helpers import sign_in

    sign_in(client, "clerk1", counter=1)
    assert _issue(client).status_code == 201
    _make_read_only(db_url)
    page = client.post("/counter/call-next?lang=en", follow_redirects=True)
    assert "cannot save anything right now" in page.get_data(as_text=True)


@pytest.mark.parametrize("error", [
    sqlite3.OperationalError("database or disk is full"),
    sqlite3.OperationalError("attempt to write a readonly database"),
    sqlite3.OperationalError("disk I/O error"),
])
def test_storage_errors_are_recognised(error):
    assert isinstance(storage_error(error), StorageUnavailable)


def test_other_errors_are_not_storage_errors():
    assert storage_error(sqlite3.OperationalError("no such table: x")) is None
    assert storage_error(sqlite3.IntegrityError("UNIQUE constraint failed")) is None


@pytest.mark.sqlite_only
def test_db_writable_says_no_when_the_disk_beside_sqlite_is_nearly_full(app):
    # On a full 1 MB tmpfs a one-page probe still fitted in the WAL's old frames
    # while every ticket's commit failed: free space is part of the answer.
    assert db_writable(min_free_bytes=1)
    assert not db_writable(min_free_bytes=2 ** 62)
