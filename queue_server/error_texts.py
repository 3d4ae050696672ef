"""What an error says on a screen, in the page's language.

The engine raises errors with a code (and parameters) and an English message for
logs and API clients; a screen shows the sentence for the code from here, in the
visitor's language. Unknown codes fall back to the sentence for their HTTP status,
never to the engine's English.
"""
from flask_babel import lazy_gettext as _l

#: HTTP status -> (title, sentence) for the error page.
BY_STATUS = {
    400: (_l("The request could not be understood"),
          _l("Something in the request was not right. Go back and try again.")),
    401: (_l("Please sign in"), _l("This page is for signed-in staff.")),
    403: (_l("Not allowed"), _l("This page or action is not open to this account or screen.")),
    404: (_l("Page not found"),
          _l("There is no page at this address. Check the address or start again from the "
             "start page.")),
    405: (_l("Not possible here"), _l("This address does not take that kind of request.")),
    409: (_l("Not possible now"), _l("This cannot be done in the current state.")),
    413: (_l("Too large"), _l("What was sent is too large.")),
    429: (_l("Too many requests"),
          _l("Too many requests from this device in a short time. Please wait a minute "
             "and try again.")),
    500: (_l("Something went wrong"),
          _l("Something went wrong on the server. Please try again or ask the staff.")),
    503: (_l("Not available right now"),
          _l("The server cannot do this right now. Please try again in a few minutes.")),
}

#: Engine error code -> the sentence a citizen or clerk reads (params fill %(name)s).
BY_CODE = {
    "office_closed": _l("The office is closed now. Tickets are issued during opening hours."),
    "daily_cap_reached": _l("This service has issued all its tickets for today."),
    "unknown_service": _l("That service does not exist or is not open now."),
    "unknown_ticket": _l("No ticket has this tracking link. It may be from another day."),
    "unknown_counter": _l("There is no such counter."),
    "not_ratable": _l("This ticket cannot be rated any more."),
    "not_cancellable": _l("This ticket can no longer be cancelled."),
    "csrf_failed": _l("This form has expired. Go back, reload the page and try again."),
    "bad_display_key": _l("This screen needs the office's display key in its address."),
    "bad_tablet_key": _l("This rating tablet needs the office's display key."),
    "bad_kiosk_key": _l("This kiosk needs the office's kiosk key."),
    "storage_unavailable": _l("The server cannot save anything right now (its disk is full, "
                              "read-only or failing). Nothing was saved; please try again "
                              "in a few minutes."),
    "too_many_requests": BY_STATUS[429][1],
}


#: Engine error code -> the heading, where the status's own would mislead ("page not
#: found" for a service that closed while the citizen was choosing).
TITLE_BY_CODE = {
    "office_closed": _l("The office is closed now"),
    "daily_cap_reached": _l("No more tickets today"),
    "unknown_service": _l("The ticket could not be issued"),
    "unknown_ticket": _l("Ticket not found"),
}


def title_for(status, code=None):
    """The heading of the error page for error ``code`` or HTTP ``status``."""
    if code in TITLE_BY_CODE:
        return str(TITLE_BY_CODE[code])
    return str(BY_STATUS.get(status, BY_STATUS[500 if status >= 500 else 400])[0])


def message_for(status, code=None, params=None):
    """The sentence for error ``code`` (else for ``status``), in the current language."""
    text = BY_CODE.get(code) if code else None
    if text is None:
        text = BY_STATUS.get(status, BY_STATUS[500 if status >= 500 else 400])[1]
    text = str(text)
    if params:
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return text
    return text
