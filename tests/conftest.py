"""Fixtures shared by the whole suite: a fresh SQLite file per test, clients, factories."""
import pytest

from queue_server import create_app
from queue_server.config import TestConfig
from queue_server.db import db

from . import factories


@pytest.fixture
def db_url(tmp_path):
    """A fresh SQLite file for this test (the embedded default, for real)."""
    return f"sqlite:///{tmp_path / 'queue.db'}"


@pytest.fixture
def app(db_url, tmp_path):
    """The app on a fresh database, with the demo office seeded."""
    app = create_app({**_config_dict(), "DATABASE_URL": db_url,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    with app.app_context():
        db.connect(reuse_if_open=True)
        factories.demo_office()
        yield app
        if not db.is_closed():
            db.close()


def _config_dict():
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}


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
