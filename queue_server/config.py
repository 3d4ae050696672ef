"""Configuration read from the environment (``QUEUE_*``), with safe embedded defaults."""
import os


def _env(name, default=None):
    return os.environ.get(f"QUEUE_{name}", default)


class Config:
    """Production-ish defaults: an embedded SQLite file under ./instance/."""

    SECRET_KEY = _env("SECRET_KEY")
    DATABASE_URL = _env("DATABASE_URL", "sqlite:///instance/queue.db")
    # Flask-SocketIO message queue; set to redis://... when running several processes.
    MESSAGE_QUEUE = _env("MESSAGE_QUEUE")
    PRINTER = _env("PRINTER", "preview:")
    PUBLIC_URL = _env("PUBLIC_URL", "")
    TOKEN_TTL_S = int(_env("TOKEN_TTL_S", str(12 * 3600)))
    # Service time assumed before an office has measured any (seconds).
    DEFAULT_SERVICE_S = int(_env("DEFAULT_SERVICE_S", "300"))
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    DEMO = False
    TESTING = False


class DemoConfig(Config):
    """``queue-server run --demo``: a throw-away secret is fine, demo accounts are seeded."""

    DEMO = True
    SECRET_KEY = _env("SECRET_KEY", "demo-secret-not-for-production")


class TestConfig(Config):
    """Passed in by the test-suite; each test gives its own DATABASE_URL."""

    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    PRINTER = "preview:"
