"""What an error says on a screen, in the page's language.

The engine raises errors with a code (and parameters) and an English message for
logs and API clients; a screen shows the sentence for the code from here, in the
visitor's language. Unknown codes fall back to the sentence for their HTTP status,
never to the engine's English.
"""
from flask_babel import format_date
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

#: Refused printer URLs (engine.printer_urls), for the office and printer forms.
PRINTER_URL_REFUSED = {
    "printer_url_not_a_device": _l(
        "A file:// or serial:// printer must be a printer device: /dev/usb/lp0, "
        "/dev/ttyUSB0, /dev/ttyS0, /dev/ttyACM0 or /dev/lp0 (COM1 on Windows)."),
    "printer_url_outside_instance": _l(
        "preview: may only write under the server's instance folder: use preview: alone."),
    "printer_url_address_refused": _l(
        "This printer address cannot be used: link-local, multicast, unspecified and "
        "(unless the server allows it) loopback addresses are refused."),
    "printer_url_timeout": _l("A printer timeout is at most 10 seconds."),
}

#: The admin's and supervisor's forms: refusals of engine/admin.py, admin_rows.py,
#: accounts.py, regions.py, feedback.py and remote.py (``field`` params are the
#: engine's English field names, named here as the forms label them).
BY_CODE.update(PRINTER_URL_REFUSED)
BY_CODE.update({
    "required": _l("“%(field)s” is required."),
    "not_text": _l("“%(field)s” must be text."),
    "control_characters": _l("“%(field)s” contains control characters (invisible codes): "
                             "type it again."),
    "duplicate": _l("“%(value)s” is already used: choose another."),
    "bad_timezone": _l("Unknown timezone “%(timezone)s”: use a name such as "
                       "Asia/Ho_Chi_Minh."),
    "bad_language": _l("The default language is Vietnamese or English."),
    "bad_announce_languages": _l("Board announcements: vi and/or en, separated by a comma "
                                 "(e.g. vi,en)."),
    "bad_hours": _l("The opening hours are not valid: set them on the opening hours page."),
    "bad_feedback_promise": _l("The promised answer time is 1 to 1440 hours."),
    "bad_prefix": _l("The number prefix is one letter or digit."),
    "bad_target_wait": _l("The target wait is at least 1 minute."),
    "bad_daily_cap": _l("The daily cap is at least 1 (or empty for none)."),
    "bad_counter_number": _l("The counter number is 1 or more."),
    "other_office": _l("That belongs to another office."),
    "bad_role": _l("Choose one of the roles."),
    "weak_password": _l("The password needs at least %(min)s characters."),
    "region_required": _l("A regional user needs a region and no office."),
    "region_not_allowed": _l("Only a regional user has a region: choose no region."),
    "bad_region_name": _l("A region needs a name of at most 200 characters."),
    "region_too_deep": _l("Regions nest one level only: the parent must be a region "
                          "without a parent, and a region with child regions has none."),
    "bad_printer_paper": _l("These paper settings cannot print."),
    "bad_printer_url": _l("This printer URL cannot be used."),
    "feedback_too_long": _l("The text is longer than %(max)s characters."),
    "answer_required": _l("Write the answer first."),
    "bad_transition": _l("The feedback is closed or has moved meanwhile: reload the page."),
    "bad_state": _l("Unknown state."),
    "bad_network": _l("Write the office's address ranges such as 192.168.1.0/24, "
                      "separated by commas."),
    "out_of_range": _l("“%(field)s” is a whole number from %(low)s to %(high)s."),
    "bad_time": _l("Write the time as HH:MM, e.g. 07:30."),
    "bad_mode": _l("Choose one of the offered choices."),
    # Refusals of the admin views themselves (views/admin/, views/bookings_staff.py).
    "unknown_service_code": _l("Unknown service code %(code)s."),
    "other_office_counter": _l("Choose only this office's counters."),
    "self_deactivate": _l("You cannot deactivate yourself."),
    "check_form": _l("Check the fields of the form."),
})

#: The engine's English field names -> the form labels (``required``, ``not_text``,
#: ``control_characters``).
FIELD_NAMES = {
    "Name": _l("Name"), "The name": _l("Name"), "Code": _l("Code"),
    "Prefix": _l("Number prefix"), "Vietnamese name": _l("Name (Vietnamese)"),
    "English name": _l("Name (English)"), "Opening hours": _l("Opening hours"),
    "The notice": _l("Board notice"), "The display key": _l("Display key"),
    "The kiosk key": _l("Kiosk key"), "The printer URL": _l("Printer URL"),
    "The counter name": _l("Name"), "The full name": _l("Full name"),
    "Username": _l("Username"), "The username": _l("Username"),
    "The reason": _l("Reason"), "The footer": _l("Footer line"),
    "The profile": _l("Printer profile (python-escpos)"), "The answer": _l("Answer"),
    "The contact": _l("Contact"), "The text": _l("Text"),
    # booking settings (engine/slots.py names its fields by their keys)
    "slot_minutes": _l("Slot length (minutes)"), "capacity": _l("Citizens per slot"),
    "days_ahead": _l("Days ahead"),
    "cutoff_minutes": _l("Booking closes before the slot (minutes)"),
}

#: What a form says for a refusal no sentence above names (never the engine's English).
FORM_FALLBACK = {
    400: _l("This value cannot be saved: check the form and try again."),
    404: _l("That no longer exists."),
    409: _l("This cannot be saved in the current state: reload the page and try again."),
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
    return _filled(text, params)


def form_message(exc, own=None):
    """The sentence a form shows for the engine's refusal ``exc`` (a QueueError), in
    the page's language: the screen's own words for its code (``own``), else
    ``BY_CODE``'s, else a generic sentence; never ``exc.message`` (English)."""
    text = (own or {}).get(exc.code) or BY_CODE.get(exc.code)
    if text is None:
        text = FORM_FALLBACK.get(exc.status) or message_for(exc.status)
    return _filled(text, exc.params)


def _filled(text, params):
    text = str(text)
    if not params:
        return text
    values = dict(params)
    if "field" in values:
        values["field"] = str(FIELD_NAMES.get(values["field"], _l("This field")))
    if hasattr(values.get("day"), "year"):
        values["day"] = format_date(values["day"])
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        return text
