"""Binding the database to the app: open from config, migrate, one connection per request."""
import os

from playhouse.migrations import Runner

from .db import db, open_database
from .engine import estimate

MIGRATIONS = os.path.join(os.path.dirname(__file__), "migrations")


def migrate(database=None):
    """Apply pending migrations; returns the names applied."""
    runner = Runner(database or db.obj, directory=MIGRATIONS)
    return runner.up()


def init_app(app):
    """Open the configured database, apply migrations, manage per-request connections."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        # Relative SQLite paths are relative to the working directory, said at start-up.
        url = "sqlite:///" + os.path.abspath(url[len("sqlite:///"):])
        app.config["DATABASE_URL"] = url
    open_database(url)
    estimate.DEFAULT_SERVICE_S = app.config["DEFAULT_SERVICE_S"]
    if app.config.get("AUTO_MIGRATE", True):
        with db.connection_context():
            migrate()

    @app.before_request
    def _connect():
        db.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not db.is_closed():
            db.close()
