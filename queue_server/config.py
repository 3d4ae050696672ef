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
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    def __init__(self):
        self.SECRET_KEY = _env("SECRET_KEY")
        self.DATABASE_URL = _env("DATABASE_URL", "sqlite:///instance/queue.db")
        # Flask-SocketIO message queue; redis://... when running several processes.
        self.MESSAGE_QUEUE = _env("MESSAGE_QUEUE")
        # Redis pub/sub channels ignore the database number: deployments sharing
        # one Redis need their own channel name.
        self.SOCKETIO_CHANNEL = _env("SOCKETIO_CHANNEL", "queue-server")
        self.PRINTER = _env("PRINTER", "preview:")
        # Admin-saved tcp:// printers may reach this machine only when set (a print
        # server on the same box); docs/security.md, "Printer URLs".
        self.PRINTER_ALLOW_LOOPBACK = _env("PRINTER_ALLOW_LOOPBACK", "0") in ("1", "true", "yes")
        # Boards get the waiting counts at most this often (seconds); calls are never
        # held back. Each update goes to every board of the office (docs/display.md).
        self.BOARD_THROTTLE_S = float(_env("BOARD_THROTTLE_S", "1"))
        # Seconds between checks for a new business day (tickets left are expired).
        self.HOUSEKEEPING_S = float(_env("HOUSEKEEPING_S", "30"))
        # Print retries and the pauses between them (seconds, comma-separated).
        self.PRINT_RETRIES = int(_env("PRINT_RETRIES", "5"))
        self.PRINT_BACKOFF = _env("PRINT_BACKOFF", "1,2,4,8,16")
        self.PUBLIC_URL = _env("PUBLIC_URL", "")
        self.TOKEN_TTL_S = int(_env("TOKEN_TTL_S", str(12 * 3600)))
        # Supervisor alerts (engine/alerts.py): minutes a ticket may stay only "called",
        # and how many waiting for one service is too many.
        self.ALERT_CALLED_MIN = int(_env("ALERT_CALLED_MIN", "5"))
        self.ALERT_QUEUE_LENGTH = int(_env("ALERT_QUEUE_LENGTH", "15"))
        # Seconds per ticket assumed before a service has measured any.
        self.DEFAULT_SERVICE_S = int(_env("DEFAULT_SERVICE_S", "300"))
        # Security (docs/security.md): per-client rates (Flask-Limiter syntax), the
        # sign-in lockout, cookies over HTTPS, proxies in front, Socket.IO origins.
        self.TICKET_RATE = _env("TICKET_RATE", "30/minute")
        # Call announcements (public): per client address; a board asks once per call
        # and language, and its browser keeps the file for a day.
        self.SPEECH_RATE = _env("SPEECH_RATE", "120/minute")
        # The announcement cache on disk (and in memory) holds at most this many MB.
        self.SPEECH_CACHE_MB = float(_env("SPEECH_CACHE_MB", "50"))
        self.LOGIN_RATE = _env("LOGIN_RATE", "10/minute")
        # Citizens' feedback (public form and API), per client address.
        self.FEEDBACK_RATE = _env("FEEDBACK_RATE", "5/minute")
        self.LOGIN_MAX_FAILURES = int(_env("LOGIN_MAX_FAILURES", "5"))
        self.LOGIN_LOCKOUT_S = int(_env("LOGIN_LOCKOUT_S", "300"))
        self.RATELIMIT_ENABLED = _env("RATELIMIT_ENABLED", "1") not in ("0", "false", "no")
        # queue_server.rate_limits: limits' memory storage with its timer race fixed
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "queue-memory://")
        self.SESSION_COOKIE_SECURE = _env("SECURE_COOKIES", "0") in ("1", "true", "yes")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PROXY_FIX = int(_env("PROXY_FIX", "0"))  # proxies in front (X-Forwarded-*)
        # Screens hear of changes from a dispatcher, off the request (queue_server/dispatch.py).
        self.EVENTS_ASYNC = _env("EVENTS_ASYNC", "1") not in ("0", "false", "no")
        # Seconds between the sync beats that let open screens see what they missed.
        self.SCREEN_SYNC_S = float(_env("SCREEN_SYNC_S", "10"))
        # Seconds an Engine.IO session may stay without joining a namespace (0: forever).
        self.SOCKET_JOIN_TIMEOUT_S = float(_env("SOCKET_JOIN_TIMEOUT_S", "5"))
        # Seconds an untouched kiosk start screen waits before it goes back to its
        # start in the office's language (fresh counts; the next citizen's language).
        self.KIOSK_IDLE_S = int(_env("KIOSK_IDLE_S", "60"))
        # The phone says "your turn is near" when this many people or fewer are ahead.
        self.TRACK_NEAR = int(_env("TRACK_NEAR", "3"))
        origins = _env("CORS_ORIGINS")  # None: Socket.IO accepts same-origin pages only
        self.CORS_ORIGINS = [o.strip() for o in origins.split(",")] if origins else None
        # Phones and bookings (docs/bookings.md): a phone's tickets per device cookie and
        # per address (carrier NAT puts many phones behind one: a generous budget), new
        # bookings and booking-code look-ups per address, the check-in window around
        # a slot's start, and the days a booking's name and phone are kept after it.
        self.PHONE_DEVICE_RATE = _env("PHONE_DEVICE_RATE", "3/hour;6/day")
        self.PHONE_ADDRESS_RATE = _env("PHONE_ADDRESS_RATE", "300/hour")
        self.BOOKING_RATE = _env("BOOKING_RATE", "20/hour")
        self.BOOKING_LOOKUP_RATE = _env("BOOKING_LOOKUP_RATE", "60/minute")
        self.CHECK_IN_BEFORE_MIN = int(_env("CHECK_IN_BEFORE_MIN", "15"))
        self.CHECK_IN_AFTER_MIN = int(_env("CHECK_IN_AFTER_MIN", "10"))
        self.BOOKING_KEEP_DAYS = int(_env("BOOKING_KEEP_DAYS", "30"))


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
    HOUSEKEEPING = False  # tests call housekeeping.close_past_days() themselves
    SERVER_LOCK = False  # many apps per test process, one database file each

    def __init__(self):
        super().__init__()
        self.SECRET_KEY = "test-secret"
        self.RATELIMIT_ENABLED = False  # tests/security turn limits on where they test them
        self.BOARD_THROTTLE_S = 0  # board counts at once, so tests see each change
        self.EVENTS_ASYNC = False  # in-process Socket.IO test clients read events at once
        self.SCREEN_SYNC_S = 0  # no beat thread; tests call screen_sync.beat() themselves
        self.PRINTER = "preview:"
        self.PRINTER_ALLOW_LOOPBACK = True  # the tests' fake printers listen on 127.0.0.1
