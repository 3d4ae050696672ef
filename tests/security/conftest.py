"""Fixtures of the security tests."""
import pytest

from queue_server import create_app


@pytest.fixture
def csrf_app(db_url, tmp_path):
    """An app with CSRF checks on, as in production (the test config turns them off)."""
    from tests.conftest import _config_dict

    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "WTF_CSRF_ENABLED": True,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    yield app
    app.extensions["printing"].stop()
