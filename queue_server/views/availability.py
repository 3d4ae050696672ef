"""What the kiosk and the phone say about opening hours, in the page's language.

The facts come from ``engine.availability.office_state``; this module only writes
them: "It reopens today at 14:30", the reason of a closure, the engine's
refusals of a ticket (``REFUSALS``). It imports no view.
"""
from datetime import timedelta

from flask_babel import format_date, format_time
from flask_babel import gettext as _

from ..engine.clock import local
from ..formatting import format_duration
from ..models import utcnow

#: The engine's error codes whose message is written here (kiosk/_availability.html).
REFUSALS = ("office_closed", "last_ticket_passed", "wait_past_closing", "service_not_served")


def clock(office, at_utc):
    """ "14:30": a naive-UTC moment as the office's local time of day."""
    return format_time(local(office, at_utc).replace(tzinfo=None), "HH:mm", rebase=False)


def reopens_text(office, at_utc, now=None):
    """ "It reopens today at 14:30." / "... tomorrow at 07:30." / "... on Monday 09/02
    at 07:30."; "" when ``at_utc`` is None."""
    if at_utc is None:
        return ""
    today = local(office, now or utcnow()).date()
    day = local(office, at_utc).date()
    time = clock(office, at_utc)
    if day == today:
        return _("It reopens today at %(time)s.", time=time)
    if day == today + timedelta(days=1):
        return _("It reopens tomorrow at %(time)s.", time=time)
    return _("It reopens on %(day)s at %(time)s.", time=time,
             day=format_date(day, "EEEE dd/MM/yyyy"))


def closure_reason(closure):
    """The closure's reason in the page's language (Vietnamese when no English one)."""
    from flask_babel import get_locale

    if closure is None:
        return ""
    if str(get_locale()) == "en" and closure.reason_en:
        return closure.reason_en
    return closure.reason_vi or closure.reason_en


def refusal_text(office, error):
    """The kiosk's message for an engine refusal in ``REFUSALS``."""
    params = getattr(error, "params", {}) or {}
    if error.code == "service_not_served":
        return _("Service %(code)s is not served today: no counter is open for it. "
                 "Please ask the staff.", code=params.get("service", ""))
    if error.code == "wait_past_closing":
        return _("No more tickets today: the wait for a new ticket (%(wait)s) runs past "
                 "closing time.", wait=format_duration(params.get("wait_s")))
    if error.code == "last_ticket_passed":
        return _("No more tickets today: tickets are issued until %(time)s.",
                 time=params.get("time", ""))
    closed = (_("The office is on its lunch break.") if params.get("break")
              else _("The office is closed now."))
    return " ".join(filter(None, [closed, reopens_text(office, params.get("reopens_at"))]))


def page_texts(office, state, error=None):
    """The texts the partials show for ``state`` (``office_state``) and ``error``."""
    return {"reopens": reopens_text(office, state["reopens_at"]),
            "closes": clock(office, state["closes_at"]) if state["closes_at"] else "",
            "closure": closure_reason(state["closure"]),
            "refusal": refusal_text(office, error) if error is not None
            and error.code in REFUSALS else ""}
