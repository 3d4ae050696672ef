"""The one exception type of the domain; it knows its HTTP status and error code."""


class QueueError(Exception):
    """A domain error: the request cannot be done and nothing was written."""

    status = 400
    code = "bad_request"

    def __init__(self, message, code=None, status=None, params=None):
        super().__init__(message)
        self.message = message
        #: What a screen needs to say it in its own language (e.g. {"day": "mon"}).
        self.params = params or {}
        if code:
            self.code = code
        if status:
            self.status = status

    def to_dict(self):
        """The JSON body every API error uses."""
        return {"error": {"code": self.code, "message": self.message}}


class InvalidInput(QueueError):
    status, code = 400, "invalid_input"


class Unauthorized(QueueError):
    status, code = 401, "unauthorized"


class Forbidden(QueueError):
    status, code = 403, "forbidden"


class NotFound(QueueError):
    status, code = 404, "not_found"


class Conflict(QueueError):
    """A state conflict, e.g. an invalid ticket transition."""

    status, code = 409, "conflict"


class TooMany(QueueError):
    status, code = 429, "too_many_requests"


class StorageUnavailable(QueueError):
    """The database cannot be written: disk full, read-only or failing (``db.storage_error``)."""

    status, code = 503, "storage_unavailable"
