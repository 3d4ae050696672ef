"""Security plumbing: headers, CSRF, rate limits, login lockout, device keys, secrets.

``init_app`` wires it all into an app; ``docs/security.md`` explains the choices.
"""
import hmac
import threading
import time

import click
from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .errors import Forbidden, TooMany

#: Values of QUEUE_SECRET_KEY refused outside demo and tests (the demo's, the
#: tests', and the ones people paste from tutorials).
WEAK_SECRETS = {"demo-secret-not-for-production", "test-secret", "secret", "secret-key",
                "secretkey", "changeme", "change-me", "dev", "development", "default",
                "password", "queue", "flask", "your-secret-key", "supersecret"}
MIN_SECRET_LENGTH = 12

#: The Content-Security-Policy of every response: only this origin, no inline
#: script or style, never framed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

#: endpoint -> (config key of its rate, methods it applies to)
RATE_LIMITED = {
    "api.issue_ticket": ("TICKET_RATE", ("POST",)),
    "kiosk.start": ("TICKET_RATE", ("POST",)),
    "api.create_token": ("LOGIN_RATE", ("POST",)),
    "account.login": ("LOGIN_RATE", ("POST",)),
    "display.announcement": ("SPEECH_RATE", ("GET",)),
    "api.submit_feedback": ("FEEDBACK_RATE", ("POST",)),
    "feedback.from_ticket": ("FEEDBACK_RATE", ("POST",)),
}


class InsecureConfig(RuntimeError):
    """The configuration would serve an unsafe app; the message says what to fix."""


def check_secret_key(app):
    """Refuse a missing, default or weak secret key outside demo and tests.

    A missing key is left to ``queue-server`` maintenance commands (migrate,
    create-user), which sign no session; anything that serves is refused.
    """
    if app.config.get("DEMO") or app.config.get("TESTING"):
        return
    key = app.config.get("SECRET_KEY")
    hint = ("Set QUEUE_SECRET_KEY to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or try the demo with 'queue-server run --demo'.")
    if not key:
        context = click.get_current_context(silent=True)
        if context is None or context.info_name == "run":
            if context is not None:
                return  # 'queue-server run' refuses with its own message
            raise InsecureConfig("QUEUE_SECRET_KEY is not set. " + hint)
        return
    if str(key).strip().lower() in WEAK_SECRETS or len(str(key)) < MIN_SECRET_LENGTH:
        raise InsecureConfig("QUEUE_SECRET_KEY is a default or weak value. " + hint)


class SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure when configured, or when this request came over HTTPS."""

    def get_cookie_secure(self, app):
        from flask import has_request_context

        return bool(app.config.get("SESSION_COOKIE_SECURE")) or (
            has_request_context() and request.is_secure)


class LoginLockout:
    """A temporary lockout per (username, client address) after repeated failures.

    Kept in the process's memory: a restart forgets it, which is acceptable for
    a lockout measured in minutes (Flask-Limiter's per-address limit, which can
    live in Redis, stays the first line).
    """

    def __init__(self, max_failures, lockout_s):
        self.max_failures, self.lockout_s = max_failures, lockout_s
        self._failures = {}  # key -> [count, first failure or lock start (monotonic)]
        self._lock = threading.Lock()

    def _key(self, username):
        return ((username or "").strip().lower(), request.remote_addr or "")

    def retry_after(self, username):
        """Seconds until ``username`` may try again from this address (0: now)."""
        with self._lock:
            entry = self._failures.get(self._key(username))
            if entry is None:
                return 0
            count, since = entry
            left = since + self.lockout_s - time.monotonic()
            if left <= 0:
                self._failures.pop(self._key(username), None)
                return 0
            return int(left) + 1 if count >= self.max_failures else 0

    def failed(self, username):
        """Count one failure; the lockout starts at the ``max_failures``-th."""
        with self._lock:
            key, now = self._key(username), time.monotonic()
            count, since = self._failures.get(key, (0, now))
            if since + self.lockout_s <= now:
                count, since = 0, now
            count += 1
            self._failures[key] = (count, now if count == self.max_failures else since)

    def succeeded(self, username):
        with self._lock:
            self._failures.pop(self._key(username), None)


def authenticate(username, password):
    """``accounts.authenticate`` behind the lockout: TooMany (429) while locked out."""
    from .engine import accounts
    from .errors import Unauthorized

    lockout = current_app.extensions["login_lockout"]
    wait = lockout.retry_after(username)
    if wait:
        raise TooMany(f"Too many failed sign-ins; try again in {wait} seconds.",
                      code="locked_out")
    try:
        user = accounts.authenticate(username, password)
    except Unauthorized:
        lockout.failed(username)
        raise
    lockout.succeeded(username)
    return user


def kiosk_key_given(office):
    """The kiosk key this request carries for ``office`` (header, ``?key=``, or session)."""
    given = request.headers.get("X-Kiosk-Key") or request.args.get("key")
    if given:
        return given
    return (session.get("kiosk_keys") or {}).get(str(office.id))


def require_kiosk_key(office):
    """Refuse (403) unless the office has no kiosk key or this request carries it.

    A kiosk opened once with ``?key=`` keeps the key in its session cookie, so
    the form posts and confirmation pages need not repeat it.
    """
    if not office.kiosk_key:
        return
    given = kiosk_key_given(office)
    if not given or not hmac.compare_digest(str(given).encode(), office.kiosk_key.encode()):
        raise Forbidden("This kiosk needs the office's kiosk key.", code="bad_kiosk_key")
    keys = dict(session.get("kiosk_keys") or {})
    if keys.get(str(office.id)) != given:
        keys[str(office.id)] = given
        session["kiosk_keys"] = keys


def require_tablet_key(counter):
    """Refuse (403) unless the counter's office has no display key or this tablet has it.

    The rating tablet is opened once as ``/rate/<counter>?key=<display key>``; its
    session keeps the key for that counter only, so a tablet rates at its own counter
    and a passer-by's browser neither sees the ticket just finished nor rates it.
    """
    from .engine import boards

    office = counter.office
    if not office.display_key:
        return
    keys = dict(session.get("tablet_keys") or {})
    given = request.args.get("key") or keys.get(str(counter.id))
    try:
        boards.check_display_key(office, given)
    except Forbidden:
        raise Forbidden(_("This rating tablet needs the office's display key."),
                        code="bad_tablet_key") from None
    if keys.get(str(counter.id)) != given:
        keys[str(counter.id)] = given
        session["tablet_keys"] = keys


def _check_device_page():
    """Kiosk and tablet pages: the office's kiosk or display key when it has one."""
    from .access import KIOSK, TABLET, rule_for
    from .models import Counter, Office, by_id

    rule = rule_for(request.endpoint)
    args = request.view_args or {}
    if rule is None:
        return
    if rule.role == KIOSK and args.get("office_id") is not None:
        office = by_id(Office, args["office_id"])
        if office is not None:  # an unknown office is the view's 404
            require_kiosk_key(office)
    elif rule.role == TABLET and args.get("counter_id") is not None:
        counter = by_id(Counter, args["counter_id"])
        if counter is not None:
            require_tablet_key(counter)


def _api_session_csrf():
    """A cookie-signed-in browser's write to the API needs the CSRF header.

    Bearer-token clients cannot be driven by another site, cookie sessions can:
    without this, any page could make a signed-in clerk's browser call tickets.
    """
    from flask_login import current_user

    from .access import ANONYMOUS, rule_for

    rule = rule_for(request.endpoint)
    if (request.blueprint == "api" and request.method not in ("GET", "HEAD", "OPTIONS")
            and rule is not None and rule.role not in ANONYMOUS
            and not request.headers.get("Authorization", "").startswith("Bearer ")
            and current_app.config.get("WTF_CSRF_ENABLED", True)
            and current_user.is_authenticated):
        current_app.extensions["csrf"].protect()


def limit_views(app):
    """Put the per-client rates of ``RATE_LIMITED`` on their views (call once the
    blueprints are registered).

    Shared by scope: the sign-in form and the token endpoint spend one budget per
    client, as do the kiosk form and the ticket API.
    """
    limiter = app.extensions["queue_limiter"]
    for endpoint, (key, methods) in RATE_LIMITED.items():
        app.view_functions[endpoint] = limiter.shared_limit(
            app.config[key], scope=key, methods=list(methods))(app.view_functions[endpoint])


class SecurityHeaders:
    """WSGI middleware: ``HEADERS`` on every response, unless the response sets its own.

    Outermost, so it also sees what never reaches Flask: Engine.IO's middleware
    answers ``/socket.io/`` itself (sessions, polling, refusals), and those answers
    had none of the headers. (A websocket's 101 is written by the websocket server
    on the raw socket, past any WSGI middleware; it carries no page.)
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self._added = list(HEADERS.items())

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(name, value) for name, value in self._added
                                       if name.lower() not in present]
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, start)


def add_headers(app):
    """Wrap the app's WSGI entry in ``SecurityHeaders`` (last, so it is outermost)."""
    app.wsgi_app = SecurityHeaders(app.wsgi_app)


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route, bounded to what a database id can be (else 404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2 ** 63 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app):
    """Wire CSRF, limits, lockout, cookies and proxy handling into ``app`` (the headers:
    ``add_headers``, once the app is built)."""
    check_secret_key(app)
    app.url_map.converters["int"] = IdConverter  # before the blueprints add their rules
    app.session_interface = SessionInterface()
    if app.config.get("PROXY_FIX"):
        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.extensions["login_lockout"] = LoginLockout(int(app.config["LOGIN_MAX_FAILURES"]),
                                                   int(app.config["LOGIN_LOCKOUT_S"]))
    from flask_limiter.util import get_remote_address

    from . import rate_limits  # noqa: F401 - registers the queue-memory:// storage

    uri = app.config["RATELIMIT_STORAGE_URI"]
    # With limits in Redis: short timeouts, and the process's memory while Redis is away
    # (Flask-Limiter logs "Rate limit storage unreachable - falling back to in-memory
    # storage", and checks back with growing pauses); /healthz says so.
    options = ({"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
               if uri.startswith(("redis://", "rediss://")) else {})
    app.extensions["queue_limiter"] = Limiter(
        get_remote_address, app=app, storage_uri=uri, storage_options=options,
        in_memory_fallback_enabled=True,
        enabled=bool(app.config["RATELIMIT_ENABLED"]), headers_enabled=True)
    csrf = CSRFProtect(app)
    from .api import bp as api_bp
    csrf.exempt(api_bp)  # bearer clients; cookie sessions are checked by _api_session_csrf
    app.before_request(_api_session_csrf)
    app.before_request(_check_device_page)

    @app.errorhandler(CSRFError)
    def _csrf_failed(exc):
        from .errors_http import error_response

        if request.blueprint == "api":  # a script's call, not a form: say what it lacks
            return error_response(400, "csrf_failed", _(
                "A signed-in browser session must send the page's CSRF token in the "
                "X-CSRFToken header to change anything through the API."))
        return error_response(400, "csrf_failed",
                              _("This form has expired. Go back, reload the page and "
                                "try again."))
