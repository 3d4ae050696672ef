"""Configuration read from the environment (``QUEUE_*``), with safe embedded defaults.

The environment is read when a config object is made (in ``create_app``), not at
import, so one process can build apps for different settings.
"""
import os


def _env(name, default=None):
    """``QUEUE_<name>`` from the environment; an empty value counts as unset."""
    return os.environ.get(f"QUEUE_{name}") or default


class Config:
    """Production defaults: an embedded SQLite file under ./instance/."""

    DEMO = False
    TESTING = False
    MAX_CONTENT_LENGTH = 64 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    def __init__(self):
        self.SECRET_KEY = _env("SECRET_KEY")
        self.DATABASE_URL = _env("DATABASE_URL", "sqlite:///instance/queue.db")
        # Flask-SocketIO message queue; redis://... when running several processes.
        self.MESSAGE_QUEUE = _env("MESSAGE_QUEUE")
        self.PRINTER = _env("PRINTER", "preview:")
        # Print retries and the pauses between them (seconds, comma-separated).
        self.PRINT_RETRIES = int(_env("PRINT_RETRIES", "5"))
        self.PRINT_BACKOFF = _env("PRINT_BACKOFF", "1,2,4,8,16")
        self.PUBLIC_URL = _env("PUBLIC_URL", "")
        self.TOKEN_TTL_S = int(_env("TOKEN_TTL_S", str(12 * 3600)))
        # Seconds per ticket assumed before a service has measured any.
        self.DEFAULT_SERVICE_S = int(_env("DEFAULT_SERVICE_S", "300"))


class DemoConfig(Config):
    """``queue-server run --demo``: a throw-away secret is fine, demo accounts are seeded."""

    DEMO = True

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = self.SECRET_KEY or "demo-secret-not-for-production"


class TestConfig(Config):
    """Passed in by the test-suite; each test gives its own DATABASE_URL."""

    TESTING = True
    WTF_CSRF_ENABLED = False

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = "test-secret"
        self.PRINTER = "preview:"
