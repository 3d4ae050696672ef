"""The dashboard's actions (release a stranded ticket, open or close a counter for a
service, move waiting tickets) and the per-ticket export (routes on ``supervisor.bp``)."""
from flask import Response, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import access, current, require_office
from ..engine import counters, supervision, tickets
from ..engine.stats import ticket_log
from ..error_texts import form_message
from ..errors import NotFound, QueueError
from ..forms import ActionForm
from .screens import valid_or_400
from .supervisor import _office, _range, bp

MESSAGES = {
    "invalid_transition": _l("That changed meanwhile; the dashboard shows it as it is now."),
    "same_service": _l("Choose two different services."),
    "unknown_service": _l("That service does not exist or is inactive."),
    "not_found": _l("That no longer exists."),
}
#: Column titles of the per-ticket export, in the page's language.
TICKET_HEADERS = {
    "number": _l("Number"), "service": _l("Service"), "status": _l("Status"),
    "priority": _l("Priority"), "source": _l("From"), "day": _l("Day"),
    "issued_at": _l("Issued at"), "called_at": _l("Called at"), "counter": _l("Counter"),
    "called_by": _l("Called by"), "started_at": _l("Started at"),
    "started_by": _l("Started by"), "finished_at": _l("Ended at"),
    "finished_by": _l("Ended by"), "wait_s": _l("Wait (s)"),
    "service_s": _l("Service time (s)"), "recalls": _l("Recalls"), "rating": _l("Rating"),
    "note": _l("Note"), "events": _l("Events"), "kind": _l("Event"), "at": _l("At"),
    "from_status": _l("From status"), "to_status": _l("To status"), "by": _l("By"),
    "detail": _l("Detail"),
}


def _done(run):
    """Run one action on the supervisor's office (``run(office)``); a refusal becomes a
    message. Back to the dashboard."""
    office = _office()  # another office's supervisor: 403 before anything
    valid_or_400(ActionForm())
    try:
        note = run(office)
    except QueueError as exc:
        flash(form_message(exc, MESSAGES), "error")
    else:
        flash(note, "info")
    return redirect(url_for(".dashboard"))


def _same(office, office_id):
    require_office(office_id)
    if office_id != office.id:
        raise NotFound("Not in this office.")


@bp.post("/release")
@access("supervisor")
def release():
    """A stranded ticket back to its line."""
    def run(office):
        ticket = tickets.get_ticket(request.form.get("ticket_id", type=int) or 0)
        _same(office, ticket.office_id)
        supervision.release(ticket.id, user=current())
        return _("Ticket %(n)s is back in line.", n=ticket.number)
    return _done(run)


@bp.post("/counter-service")
@access("supervisor")
def counter_service():
    """Open or close a counter for one service."""
    def run(office):
        counter = counters.get_counter(request.form.get("counter_id", type=int) or 0)
        _same(office, counter.office_id)
        serves = request.form.get("serves") == "1"
        code = request.form.get("service", "")
        supervision.set_serves(counter, code, serves)
        if serves:
            return _("Counter %(c)s now serves %(s)s.", c=counter.number, s=code)
        return _("Counter %(c)s no longer serves %(s)s.", c=counter.number, s=code)
    return _done(run)


@bp.post("/move")
@access("supervisor")
def move():
    """Move every waiting ticket of one service to another."""
    def run(office):
        source, target = request.form.get("from", ""), request.form.get("to", "")
        moved = supervision.move_waiting(office, source, target, user=current())
        return _("%(n)s waiting ticket(s) moved from %(a)s to %(b)s.", n=moved, a=source,
                 b=target)
    return _done(run)


@bp.get("/tickets.<any(csv, xlsx):kind>")
@access("supervisor")
def ticket_download(kind):
    """Every ticket of the range with its events, headers in the page's language."""
    office = _office()
    first, last, _group = _range(office)
    rows = ticket_log.tickets(office, first, last)
    headers = {k: str(v) for k, v in TICKET_HEADERS.items()}
    name = f"tickets-{first.isoformat()}-{last.isoformat()}.{kind}"
    if kind == "csv":
        body, mime = ticket_log.csv_bytes(office, rows, headers), "text/csv"
    else:
        body = ticket_log.xlsx_bytes(office, rows, headers, (_("Tickets"), _("Events")))
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
