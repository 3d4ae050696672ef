"""Fixtures shared by the whole suite: a fresh SQLite file per test, clients, factories."""
import itertools
import os
import shutil

import pytest

# The demo office opens with a lunch break (queue_server/demo.py); tests must not depend
# on the time of day, so their demo office (and every server process they start) is
# always open unless a test sets hours itself.
os.environ.setdefault("QUEUE_DEMO_HOURS", "")

from queue_server import create_app  # noqa: E402
from queue_server.config import TestConfig
from queue_server.db import db

from . import browser as browser_session
from . import factories
from .serving import ServerProcess
from .services import POSTGRES, postgres_admin, postgres_url


#: ``QUEUE_TEST_DATABASE=postgresql://postgres@127.0.0.1:5432/test`` runs the tests on
#: PostgreSQL (a fresh database per test, cloned from a seeded template); unset: SQLite.


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: the test is about the SQLite file itself")


def pytest_collection_modifyitems(config, items):
    if POSTGRES:
        skip = pytest.mark.skip(reason="SQLite-only test; this run is on PostgreSQL")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory):
    """A migrated SQLite file with the demo office, built once (password hashing is slow)."""
    path = tmp_path_factory.mktemp("template") / "queue.db"
    _seed(f"sqlite:///{path}")
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close_all()
    return path


def _seed(url):
    app = create_app({**_config_dict(), "DATABASE_URL": url})
    with app.app_context(), db.connection_context():
        factories.demo_office()
    app.extensions["printing"].stop()


@pytest.fixture(scope="session")
def postgres_template():
    """A seeded PostgreSQL template database, built once per run."""
    name = f"queue_tpl_{os.getpid()}"
    postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    _seed(postgres_url(name))
    db.close_all()
    yield name
    postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(request, tmp_path):
    """A fresh database for this test, demo office in it: a real SQLite file (default),
    or a PostgreSQL database cloned from the seeded template."""
    if not POSTGRES:
        path = tmp_path / "queue.db"
        shutil.copyfile(request.getfixturevalue("seeded_db_file"), path)
        yield f"sqlite:///{path}"
        return
    template = request.getfixturevalue("postgres_template")
    name = f"queue_t{os.getpid()}_{next(_counter)}"
    postgres_admin(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield postgres_url(name)
    if db.obj is not None:
        db.close_all()
    postgres_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_counter = itertools.count()


@pytest.fixture
def app(db_url, tmp_path):
    """The app on a fresh database, with the demo office seeded."""
    app = create_app({**_config_dict(), "DATABASE_URL": db_url,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    # No app context is held open across the test: each test-client request gets its
    # own, as in production (a shared one would leak Flask-Login's cached user).
    db.connect(reuse_if_open=True)
    yield app
    # Print jobs of this test finish on this test's database, not the next one's.
    app.extensions["printing"].drain(timeout=10)
    app.extensions["printing"].stop()
    if not db.is_closed():
        db.close()


def _config_dict():
    config = TestConfig()
    return {k: getattr(config, k) for k in dir(config) if k.isupper()}


@pytest.fixture
def browser():
    """Headless Chromium (tests/browser.py)."""
    with browser_session.chromium() as launched:
        yield launched


@pytest.fixture
def server(tmp_path):
    """A real ``queue-server run --demo`` process on a fresh SQLite file (``.db_file``)."""
    db_file = tmp_path / "queue.db"
    with ServerProcess(tmp_path, db_url=f"sqlite:///{db_file}") as live:
        live.db_file = db_file
        yield live


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def office(app):
    from queue_server.models import Office

    return Office.get()


@pytest.fixture
def auth_header(client):
    """``auth_header("clerk1")`` -> headers carrying that demo user's bearer token."""
    def make(username="clerk1"):
        response = client.post("/api/v1/auth/token",
                               json={"username": username, "password": factories.PASSWORD})
        assert response.status_code == 200, response.json
        return {"Authorization": "Bearer " + response.json["token"]}
    return make
