"""Who may use what: THE access table of every HTTP endpoint and Socket.IO event.

Enforced in one place: ``check_request`` runs before every HTTP view and
``guard_sockets`` wraps every Socket.IO handler. Anything not in the table is
refused (deny by default): a new route or event is unreachable until it is
written here. ``@access(role)`` on a view is a mark that must agree with this
table (checked when the app is built); ``docs/access.md`` is rendered from it
(``python -m queue_server.access > docs/access.md``; a test keeps it current).

Roles: the anonymous ones (``public``; ``kiosk``, ``board`` and ``tablet`` are
anonymous devices, bound by the office's kiosk or display key where one is
set) and the staff ones, each including the rights of the ones before:
``clerk`` < ``supervisor`` < ``admin``. Staff act only in their own office
(``auth.require_office``); an admin acts in every office.
"""
import builtins
from collections import namedtuple

from flask import current_app, redirect, request, url_for
from flask_socketio import ConnectionRefusedError

from .engine import accounts, audit
from .errors import Forbidden, QueueError, Unauthorized

PUBLIC, KIOSK, BOARD, TABLET = "public", "kiosk", "board", "tablet"
CLERK, SUPERVISOR, ADMIN = accounts.ROLES
#: read-only figures: a regional user in their region's offices, or supervisor and above
REGIONAL = accounts.REGIONAL
ANONYMOUS = (PUBLIC, KIOSK, BOARD, TABLET)
ROLES = ANONYMOUS + accounts.ROLES + (REGIONAL,)

Rule = namedtuple("Rule", "role note")


def _rules(role, note, *names):
    return {name: Rule(role, note) for name in names}


OWN = "own office"
READ_ONLY = "read-only: " + OWN + ", or a regional user in the offices of their region"
#: Regions and feedback (issue 19): views/regional.py, views/feedback.py, api/regions.py.
REGION_HTTP = {
    **_rules(REGIONAL, "a regional user their region (and its child regions), an admin "
                       "every region; a supervisor their own office's row",
             "regional.overview", "regional.comparison_page", "regional.comparison_download"),
    "regional.index": Rule(REGIONAL, "the regions the user may see"),
    "regional.public_region": Rule(PUBLIC, "only the offices that publish their statistics"),
    **_rules(SUPERVISOR, OWN, "feedback.inbox", "feedback.act"),
    **_rules(PUBLIC, "by unguessable tracking token; rate-limited", "feedback.from_ticket"),
    **_rules(ADMIN, "every region", "admin_regions.regions_page", "admin_regions.region_edit"),
}
REGION_API = {
    **_rules(REGIONAL, "a regional user their region, an admin every region; a supervisor "
                       "their own office's row only", "api.region_overview",
             "api.region_comparison"),
    "api.submit_feedback": Rule(PUBLIC, "rate-limited; a ticket token ties it to the ticket"),
    **_rules(SUPERVISOR, OWN, "api.list_feedback", "api.answer_feedback",
             "api.feedback_state"),
    **_rules(ADMIN, "every office", "api.list_regions", "api.create_region",
             "api.list_offices", "api.create_office", "api.update_office"),
}
#: endpoint -> Rule. Keep grouped by blueprint; the docs list it in this order.
HTTP = {
    "static": Rule(PUBLIC, "CSS, JS, images"),
    "health.healthz": Rule(PUBLIC, "liveness"),
    "start.start": Rule(PUBLIC, "the start page: the screens (demo) or staff sign-in"),
    "start.favicon": Rule(PUBLIC, "the icon"),
    "account.login": Rule(PUBLIC, "rate-limited, lockout after repeated failures"),
    "account.logout": Rule(PUBLIC, "CSRF form"),
    **_rules(KIOSK, "kiosk key when the office has one; POST rate-limited",
             "kiosk.start"),
    **_rules(PUBLIC, "by unguessable tracking token", "kiosk.issued", "kiosk.qr",
             "track.ticket"),
    "track.cancel": Rule(PUBLIC, "by unguessable tracking token; CSRF form; only a "
                                 "waiting ticket"),
    "track.rate": Rule(PUBLIC, "by unguessable tracking token; CSRF form; a served ticket, "
                               "one rating per ticket (shared with the tablet)"),
    **_rules(TABLET, "display key when the office has one, kept for that counter only; "
                     "ratings of the counter's last finished ticket", "rating.rate",
             "rating.thanks"),
    **_rules(CLERK, "the clerk's own counter, " + OWN, "console.index", "console.sign_in",
             "console.leave", "console.call_next", "console.ticket_action",
             "console.transfer", "console.pause_resume", "console.finish_next",
             "console.call_chosen", "console.cancel", "console.reprint", "console.note",
             "console.undo_no_show", "console.leave_page"),
    **_rules(ADMIN, "every office", "admin.index", "admin.counters", "admin.counter_new",
             "admin.counter_edit", "admin.counter_remove", "admin.office_new",
             "admin.office_edit", "admin.office_new_key", "admin.services",
             "admin.service_new", "admin.service_edit", "admin.service_remove",
             "admin.users", "admin.user_new", "admin.user_edit", "admin.user_password",
             "admin.user_remove", "admin.printers", "admin.printer_remove",
             "admin.printer_reprint", "admin.zones", "admin.zone_remove"),
    **_rules(ADMIN, "every office", "admin.hours", "admin.closure_add",
             "admin.closure_remove", "admin.screens"),
    **_rules(REGIONAL, READ_ONLY, "supervisor.dashboard", "supervisor.reports",
             "supervisor.download"),
    **_rules(SUPERVISOR, OWN, "supervisor.release", "supervisor.counter_service",
             "supervisor.move", "supervisor.ticket_download"),
    "public.office_page": Rule(PUBLIC, "only when the office publishes its statistics"),
    **REGION_HTTP,
    "display.static": Rule(PUBLIC, "board scripts, sounds"),
    **_rules(BOARD, "display key when the office has one", "display.board",
             "display.counter"),
    "display.announcement": Rule(PUBLIC, "spoken call of a number (no data)"),
    # JSON API v1
    "api.openapi_document": Rule(PUBLIC, "the API description"),
    "api.create_token": Rule(PUBLIC, "rate-limited, lockout after repeated failures"),
    "api.revoke_token": Rule(CLERK, "the token sent"),
    "api.list_services": Rule(PUBLIC, "kiosk service list"),
    "api.track_cancel": Rule(PUBLIC, "by unguessable tracking token; only a waiting ticket"),
    "api.issue_ticket": Rule(KIOSK, "rate-limited; kiosk key when printing and the office "
                                    "has one; daily cap per service"),
    **_rules(CLERK, OWN, "api.get_ticket", "api.reprint"),
    **_rules(CLERK, "a clerk at the counter they are signed in to (a first call, pause "
                    "or resume at a free counter signs them in there); a supervisor or "
                    "admin anywhere in their office, audited; " + OWN,
             "api.recall", "api.start", "api.finish", "api.no_show", "api.cancel",
             "api.transfer", "api.call_next", "api.pause", "api.resume",
             "api.sign_out_counter", "api.call", "api.finish_and_call_next",
             "api.undo_no_show", "api.note"),
    "api.waiting": Rule(CLERK, OWN),
    **_rules(SUPERVISOR, OWN, "api.printers", "api.failed", "api.alert_list", "api.release",
             "api.counter_services", "api.move_waiting", "api.ticket_export",
             "api.comment_list"),
    **_rules(REGIONAL, READ_ONLY, "api.summary", "api.report", "api.staffing_advice",
             "api.live_snapshot"),
    **REGION_API,
    "api.audit_log": Rule(ADMIN, "every office"),
    **_rules(ADMIN, "every office; ?all=true of GET /services too", "api.create_service",
             "api.get_service", "api.patch_service", "api.delete_service",
             "api.list_counters", "api.create_counter", "api.get_counter", "api.patch_counter",
             "api.delete_counter", "api.list_users", "api.create_user", "api.get_user",
             "api.patch_user", "api.delete_user", "api.put_hours", "api.add_closures",
             "api.delete_closure"),
    **_rules(PUBLIC, "opening hours and closures (public facts)", "api.get_hours",
             "api.list_closures"),
    # Phones and bookings (docs/bookings.md)
    "join.start": Rule(PUBLIC, "POST rate-limited per device cookie and per address; the "
                               "office's switch and network; daily cap per service"),
    **_rules(PUBLIC, "the office's /join link (poster, QR code)", "join.poster", "join.qr"),
    "booking.choose": Rule(PUBLIC, "bookable services and free slots; POST rate-limited"),
    **_rules(PUBLIC, "by booking code, rate-limited", "booking.page", "booking.cancel",
             "booking.qr", "booking.ics", "api.get_booking", "api.cancel_booking"),
    "booking.check_in": Rule(PUBLIC, "by booking code, on the office's network only"),
    "kiosk_checkin.check_in": Rule(KIOSK, "kiosk key when the office has one; POST "
                                          "rate-limited"),
    "api.service_slots": Rule(PUBLIC, "slots of a bookable service"),
    "api.create_booking": Rule(PUBLIC, "rate-limited"),
    "api.check_in_booking": Rule(KIOSK, "by booking code, rate-limited; with the office's "
                                        "kiosk key or on its network when it set either"),
    "api.list_bookings": Rule(CLERK, OWN),
    **_rules(SUPERVISOR, OWN, "api.block_slot", "bookings_staff.day", "bookings_staff.block"),
    "bookings_staff.settings": Rule(ADMIN, "every office"),
}

#: (namespace, event) -> Rule. Boards and phones only listen: /display and
#: /track accept no client event besides connecting and, on /display, asking for a
#: fresh snapshot of what the connection already shows (tests hold them to it).
SOCKETS = {
    ("/display", "connect"): Rule(BOARD, "display key when the office has one"),
    ("/display", "disconnect"): Rule(PUBLIC, "cleanup"),
    ("/display", "resync"): Rule(BOARD, "a fresh snapshot of what it connected to"),
    ("/track", "connect"): Rule(PUBLIC, "by unguessable tracking token"),
    ("/supervisor", "connect"): Rule(REGIONAL, READ_ONLY + " (an admin or a regional user "
                                               "picks one)"),
    ("/supervisor", "disconnect"): Rule(PUBLIC, "cleanup"),
    ("/supervisor", "refresh"): Rule(REGIONAL, "a fresh snapshot of the office joined"),
}
READ_ONLY_NAMESPACES = ("/display", "/track")
#: The client events a read-only namespace accepts: none of them changes anything.
READ_ONLY_EVENTS = ("connect", "disconnect", "resync")
# Events a client cannot be refused (the connection is already gone).
_ALWAYS = ("disconnect",)


def rule_for(endpoint):
    """The Rule of an endpoint, or None when the table does not know it."""
    return HTTP.get(endpoint)


def is_allowed(user, role):
    """True when ``user`` (a User row or None) may act as ``role``."""
    if role in ANONYMOUS:
        return True
    return user is not None and accounts.role_at_least(user, role)


def _wants_page():
    return not (request.path.startswith("/api/") or request.path == "/healthz"
                or request.accept_mimetypes.best == "application/json")


def check_request():
    """``before_request``: refuse what the table does not allow (deny by default)."""
    from .auth import current

    audit.acting(None)  # threads serve many requests: never inherit an actor
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: 404/405 follow
        return None
    if not current_app.extensions.get("access_marks_checked"):
        _check_marks_once(current_app._get_current_object())
    rule = HTTP.get(endpoint)
    if rule is None:
        current_app.logger.warning("Refused %s: endpoint %r is not in the access table",
                                   request.path, endpoint)
        raise Forbidden(f"Endpoint {endpoint!r} is not in the access table "
                        "(queue_server/access.py).", code="not_in_access_table")
    user = current()
    audit.acting(user)
    if rule.role in ANONYMOUS:
        return None
    if user is None:
        if _wants_page():
            return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
        if request.headers.get("Authorization"):
            raise Unauthorized("The token is invalid, expired or revoked.", code="bad_token")
        raise Unauthorized("Sign in or send 'Authorization: Bearer <token>'.")
    if not accounts.role_at_least(user, rule.role):
        raise Forbidden(f"This needs the {rule.role} role or above.")
    return None


def check_marks(app):
    """Every view's ``@access`` mark agrees with the table (anonymous roles mark PUBLIC).

    Raises RuntimeError when a view promises one thing and the table another.
    """
    wrong = []
    for endpoint, view in app.view_functions.items():
        mark, rule = getattr(view, "access", None), HTTP.get(endpoint)
        if mark is None or rule is None:
            continue  # unmarked (static files) or unknown (refused at request time)
        expected = PUBLIC if rule.role in ANONYMOUS else rule.role
        if mark != expected:
            wrong.append(f"{endpoint}: @access({mark!r}) but the table says {rule.role!r}")
    if wrong:
        raise RuntimeError("Access marks disagree with queue_server/access.py:\n"
                           + "\n".join(wrong))


def _check_marks_once(app):
    # At the first request, once every blueprint is registered: a disagreement
    # fails loudly in tests and is logged in production (the table still rules).
    app.extensions["access_marks_checked"] = True
    try:
        check_marks(app)
    except RuntimeError:
        if app.testing:
            raise
        app.logger.exception("Access marks disagree with the access table")


def _socket_check(namespace, message):
    """Raise QueueError unless the current socket client may send ``message``."""
    from .auth import current
    from .db import db

    rule = SOCKETS.get((namespace, message))
    if rule is None:
        raise Forbidden(f"Event {message!r} on {namespace} is not in the access table.",
                        code="not_in_access_table")
    if rule.role in ANONYMOUS:
        return
    with db.connection_context():
        user = current()
    if user is None:
        raise Unauthorized("Sign in first: this namespace is for staff.")
    if not accounts.role_at_least(user, rule.role):
        raise Forbidden(f"This needs the {rule.role} role or above.")


def refusal(exc):
    """The ConnectionRefusedError for a QueueError: the client's ``connect_error`` gets
    ``{"message": <text>, "data": {"code": <code>}}``."""
    return ConnectionRefusedError(exc.message, {"code": exc.code})


def _connect(handler, namespace, handler_args):
    """Run a connect handler so that every refusal reaches the client as ``connect_error``.

    python-socketio answers nothing when a connect handler raises anything but a
    refusal: the client waits out its timeout and the log gets a traceback.
    """
    try:
        return handler(*handler_args)
    except ConnectionRefusedError as exc:
        reason = exc.args[0] if len(exc.args) == 1 else None
        if isinstance(reason, dict) and "code" in reason:  # {"code", "message"}: as refusal()
            raise ConnectionRefusedError(reason.get("message", ""),
                                         {"code": reason["code"]}) from None
        raise
    except builtins.ConnectionRefusedError:
        raise  # python-socketio refuses these too, with its default message
    except QueueError as exc:
        raise refusal(exc) from None
    except Exception:
        # A bug, logged once here; the client still hears connect_error at once.
        current_app.logger.exception("Socket.IO connect to %s failed", namespace)
        raise ConnectionRefusedError("The server could not connect this screen.",
                                     {"code": "server_error"}) from None


def guard_sockets(socketio):
    """Check every Socket.IO handler call against ``SOCKETS`` (installed once).

    Flask-SocketIO routes every handler, decorated or class-based, through
    ``_handle_event`` inside the client's request context; wrapping the handler
    there lets the check see the session user. A refused connect raises
    ConnectionRefusedError; a refused event answers ``{"error": ...}``.
    """
    if getattr(socketio, "_access_guarded", False):
        return
    original = socketio._handle_event

    def guarded(handler, message, namespace, sid, *args):
        def checked(*handler_args):
            if message not in _ALWAYS:
                try:
                    _socket_check(namespace, message)
                except QueueError as exc:
                    if message == "connect":
                        raise refusal(exc) from None
                    return exc.to_dict()
            if message != "connect":
                return handler(*handler_args)
            return _connect(handler, namespace, handler_args)
        return original(checked, message, namespace, sid, *args)

    socketio._handle_event = guarded
    socketio._access_guarded = True


def init_app(app):
    """Enforce the table on this app (HTTP hook; the socket guard once per process)."""
    from .extensions import socketio

    app.before_request(check_request)
    guard_sockets(socketio)


def registered_events(socketio):
    """[(namespace, event)] of every handler on the Socket.IO server."""
    return sorted((ns, event) for ns, handlers in socketio.server.handlers.items()
                  for event in handlers)


def render_markdown():
    """The access table as Markdown (``docs/access.md``)."""
    lines = ["# Who may use what", "",
             "Generated from `queue_server/access.py` by "
             "`python -m queue_server.access > docs/access.md`; a test fails when it is "
             "out of date. Anything not listed is refused.", "",
             "Roles: `public` (anyone), `kiosk`, `board`, `tablet` (anonymous devices, bound "
             "by the office's kiosk or display key when set), `clerk` < `supervisor` < "
             "`admin` (staff; each includes the rights of the ones before; staff act in "
             "their own office only, an admin in every office). `regional`: read-only "
             "figures, met by a regional user (the offices of their region) and by "
             "supervisors and admins.", "",
             "## HTTP endpoints", "", "| endpoint | who | note |", "|---|---|---|"]
    lines += [f"| `{name}` | {rule.role} | {rule.note} |" for name, rule in HTTP.items()]
    lines += ["", "## Socket.IO events", "", "| namespace | event | who | note |",
              "|---|---|---|---|"]
    lines += [f"| `{ns}` | `{event}` | {rule.role} | {rule.note} |"
              for (ns, event), rule in SOCKETS.items()]
    lines += ["", "Read-only namespaces (no client event besides connecting): "
              + ", ".join(f"`{ns}`" for ns in READ_ONLY_NAMESPACES) + ".", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_markdown(), end="")
