"""Outside services for the reliability tests: Redis and a fresh PostgreSQL database.

Unreachable services skip the tests locally, with the reason; in CI (env ``CI``
set) they fail instead, so a broken CI machine cannot pass by skipping.
"""
import os
import uuid

import pytest

from tests import services
from tests.services import POSTGRES_SERVER, postgres_admin, unavailable

REDIS_URL = os.environ.get("QUEUE_TEST_REDIS", "redis://127.0.0.1:6379/11")


@pytest.fixture
def redis_url():
    """A flushed Redis database for Flask-SocketIO's message queue."""
    try:
        import redis

        client = redis.Redis.from_url(REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except Exception as exc:  # noqa: BLE001 - any failure means "no Redis here"
        unavailable(f"Redis at {REDIS_URL} is unreachable: {exc}")
    return REDIS_URL


@pytest.fixture
def postgres_url():
    """A new, empty PostgreSQL database (the server migrates and seeds it), dropped after."""
    name = f"queue_rel_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        postgres_admin(f"CREATE DATABASE {name}")
    except Exception as exc:  # noqa: BLE001
        unavailable(f"PostgreSQL at {POSTGRES_SERVER} is unreachable: {exc}")
    yield services.postgres_url(name)
    postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db_url(request, tmp_path):
    """A database for real server processes: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    return request.getfixturevalue("postgres_url")
