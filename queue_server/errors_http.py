"""Turning errors into HTTP answers: JSON ``{"error": {"code", "message"}}`` under /api."""
import re
from urllib.parse import urlencode

from flask import current_app, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from peewee import DatabaseError, DataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import error_texts
from .db import storage_error
from .errors import QueueError, StorageUnavailable

# Screens nobody attends (kiosk, rating tablet): an error page there goes back to
# their start by itself, in the office's language, after RETURN_S seconds.
_UNATTENDED = re.compile(r"^/(kiosk|rate)/(\d{1,18})(?:/|$)")
RETURN_S = 8


def _wants_json():
    return (request.path.startswith("/api/") or request.path == "/healthz"
            or request.accept_mimetypes.best == "application/json")


def error_response(status, code, message, params=None, sentence=None):
    """An error as JSON for the API (``message`` as given), as a page for a browser
    (``sentence``, already in the page's language, else the sentence for ``code`` or
    ``status``)."""
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    home = _unattended_home()
    back = request.referrer if request.referrer and request.referrer != request.url else "/"
    return render_template("error.html", status=status, code=code,
                           title=error_texts.title_for(status, code),
                           message=sentence or error_texts.message_for(status, code, params),
                           home=home, back=home or back, return_s=RETURN_S), status


def _unattended_home():
    """The start of the kiosk or rating tablet this request came from, in its office's
    language (the next citizen starts there), or None for any other page."""
    found = _UNATTENDED.match(request.path)
    if found is None:
        return None
    from .models import Counter, Office  # late: the models import this module's callers
    from .views.screens import office_language

    screen, number = found.group(1), int(found.group(2))
    try:
        office = (Office.get_or_none(Office.id == number) if screen == "kiosk" else
                  getattr(Counter.get_or_none(Counter.id == number), "office", None))
    except Exception:  # the database itself failed: still a page that goes home
        office = None
    if office is None:
        return None
    office_language(office)
    args = {"lang": office.default_language or "vi"}
    if screen == "kiosk" and request.args.get("printer"):
        args["printer"] = request.args["printer"]  # the kiosk keeps its printer
    return f"/{screen}/{number}?" + urlencode(args)


def _storage_unavailable(exc):
    """503: the disk is full, read-only or failing; said in the request's language."""
    current_app.logger.error("Storage unavailable: %s", exc.__cause__ or exc)
    response = error_response(503, "storage_unavailable", _(
        "The server cannot save anything right now (its disk is full, read-only or "
        "failing). Nothing was saved; please try again in a few minutes."))
    return response


def _no_rule_takes_it(methods):
    """True when the path matches no route by any of ``methods`` either.

    Werkzeug answers 405 for ``DELETE /api/v1/counters/<an id past 2**63>``: the GET
    and PATCH rules of the path were passed over for their method before the DELETE
    rule's id converter refused the number. No method would take that id: it is 404.
    """
    adapter = current_app.create_url_adapter(request)
    for method in methods or ():
        try:
            adapter.match(request.path, method=method)
        except (NotFound, MethodNotAllowed):
            continue
        except HTTPException:  # a redirect: some rule takes it
            return False
        return False
    return True


def init_app(app):
    """Register the handlers that keep every error a clear answer, never a bare 500."""

    @app.errorhandler(QueueError)
    def _domain(exc):
        if isinstance(exc, StorageUnavailable):
            return _storage_unavailable(exc)
        return error_response(exc.status, exc.code, exc.message, exc.params)

    @app.errorhandler(DatabaseError)
    def _database(exc):
        trouble = storage_error(exc)  # PostgreSQL's; SQLite's arrive as StorageUnavailable
        if trouble is not None:
            return _storage_unavailable(trouble)
        return _unexpected(exc)

    @app.errorhandler(HTTPException)
    def _http(exc):
        if isinstance(exc, MethodNotAllowed) and _no_rule_takes_it(exc.valid_methods):
            return error_response(404, "not_found", "Nothing has that id.")
        code = (exc.name or "error").lower().replace(" ", "_")
        # A limit with a sentence of its own (the phone's budget on /join) says it.
        own = getattr(getattr(exc, "limit", None), "error_message", None)
        body, status = error_response(exc.code, code, exc.description or exc.name,
                                      sentence=str(exc.description) if own else None)
        response = make_response(body, status)
        for name, value in exc.get_headers():  # e.g. a 405's Allow, a 401's WWW-Authenticate
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(OverflowError)
    def _no_such_id(exc):
        # An id larger than the database can hold (?office=99999999999999999999)
        # names no row: the same answer as any unknown id, never a server error.
        return error_response(404, "not_found", "Nothing has that id.")

    @app.errorhandler(DataError)
    def _out_of_range(exc):
        # A value the database column cannot hold (PostgreSQL): bad input.
        return error_response(400, "out_of_range", "A value is out of range.")

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error")
        return error_response(500, "internal_error", "Something went wrong on the server.")
