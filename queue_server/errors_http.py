"""Turning errors into HTTP answers: JSON ``{"error": {"code", "message"}}`` under /api."""
from flask import jsonify, render_template, request
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

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error")
        return error_response(500, "internal_error", "Something went wrong on the server.")
