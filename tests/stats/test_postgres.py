"""The hand-worked figures again, on PostgreSQL (skipped when no server answers).

Set QUEUE_TEST_POSTGRES (default postgresql://postgres@127.0.0.1:5432/test); the
schema ``public`` of that database is wiped for each test.
"""
import os

import pytest

from .test_report import *  # noqa: F401,F403  (the same tests, collected again here)
from .test_report import day  # noqa: F401

URL = os.environ.get("QUEUE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture
def db_url():
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        conn = psycopg2.connect(URL, connect_timeout=2)
    except psycopg2.OperationalError:
        pytest.skip("no PostgreSQL at " + URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    conn.close()
    return URL


@pytest.fixture
def app(db_url, tmp_path):
    """The app on a wiped PostgreSQL schema, migrated, with the demo office seeded."""
    from queue_server import create_app
    from queue_server.db import db
    from tests.conftest import _config_dict
    from tests.factories import demo_office

    app = create_app({**_config_dict(), "DATABASE_URL": db_url,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    db.connect(reuse_if_open=True)
    demo_office()
    yield app
    if not db.is_closed():
        db.close()
