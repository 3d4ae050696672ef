"""Turning errors into HTTP answers: JSON ``{"error": {"code", "message"}}`` under /api."""
from flask import jsonify, render_template, request
from peewee import DataError
from werkzeug.exceptions import HTTPException

from .errors import QueueError


def _wants_json():
    return (request.path.startswith("/api/") or request.path == "/healthz"
            or request.accept_mimetypes.best == "application/json")


def error_response(status, code, message):
    """An error as JSON for the API, as a page for a browser."""
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message}}), status
    return render_template("error.html", status=status, code=code, message=message), status


def init_app(app):
    """Register the handlers that keep every error a clear answer, never a bare 500."""

    @app.errorhandler(QueueError)
    def _domain(exc):
        return error_response(exc.status, exc.code, exc.message)

    @app.errorhandler(HTTPException)
    def _http(exc):
        code = (exc.name or "error").lower().replace(" ", "_")
        return error_response(exc.code, code, exc.description or exc.name)

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
