"""Fixtures shared by the whole suite: a fresh SQLite file per test, clients, factories."""
import shutil

import pytest

from queue_server import create_app
from queue_server.config import TestConfig
from queue_server.db import db

from . import factories


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory):
    """A migrated SQLite file with the demo office, built once (password hashing is slow)."""
    path = tmp_path_factory.mktemp("template") / "queue.db"
    app = create_app({**_config_dict(), "DATABASE_URL": f"sqlite:///{path}"})
    with app.app_context(), db.connection_context():
        factories.demo_office()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def db_url(tmp_path, seeded_db_file):
    """A fresh SQLite file for this test (the embedded default, for real), demo office in it."""
    path = tmp_path / "queue.db"
    shutil.copyfile(seeded_db_file, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(db_url, tmp_path):
    """The app on a fresh database, with the demo office seeded."""
    app = create_app({**_config_dict(), "DATABASE_URL": db_url,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    # No app context is held open across the test: each test-client request gets its
    # own, as in production (a shared one would leak Flask-Login's cached user).
    db.connect(reuse_if_open=True)
    yield app
    if not db.is_closed():
        db.close()


def _config_dict():
    config = TestConfig()
    return {k: getattr(config, k) for k in dir(config) if k.isupper()}


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
