"""The clerk's console at ``/counter``: big buttons over the same engine as the API.

The waiting list's actions (call a chosen ticket, cancel, reprint, note, undo a
no-show) are in ``console_queue``; leaving the counter in ``console_leave``.
"""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import access, current, require_office
from ..engine import calling, corrections, counters, offices, tickets
from ..engine.clock import business_day, iso
from ..error_texts import form_message
from ..errors import QueueError
from ..forms import ActionForm, NoteForm, SignInCounterForm, TransferForm, choices
from ..models import Counter, Service, utcnow
from .screens import require_sign_in, service_name, valid_or_400

bp = Blueprint("console", __name__, url_prefix="/counter")
bp.before_request(require_sign_in)

#: Engine error codes -> what the clerk reads (the engine's text is English only).
MESSAGES = {
    "invalid_transition": _l("This ticket was changed meanwhile (perhaps at another "
                             "counter); the screen now shows its current state."),
    "counter_paused": _l("The counter is paused: resume it to call."),
    "counter_busy": _l("Finish, no-show or transfer the current ticket first."),
    "counter_closed": _l("This counter is closed."),
    "same_service": _l("The ticket is already in that service."),
    "unknown_service": _l("That service does not exist or is inactive."),
    "not_found": _l("That ticket no longer exists."),
    "forbidden": _l("That belongs to another office."),
    "not_waiting": _l("That ticket is no longer waiting (called or ended meanwhile)."),
    "not_served_here": _l("This counter does not serve that ticket's service."),
    "undo_expired": _l("The no-show is more than 5 minutes old: it can no longer be undone."),
    "counter_has_ticket": _l("Your counter still has a ticket: say what becomes of it "
                             "first."),
    "note_too_long": _l("A note is at most 500 characters."),
    "not_your_counter": _l("That ticket is at another counter."),
    "not_signed_in": _l("Choose your counter first."),
    "storage_unavailable": _l("The server cannot save anything right now (its disk is full, "
                              "read-only or failing). Nothing was saved: tell the "
                              "administrator."),
}

# action name -> engine function taking the ticket id
TICKET_ACTIONS = {"recall": tickets.recall, "start": tickets.start,
                  "finish": tickets.finish, "no-show": tickets.no_show}


def _my_counter():
    return Counter.get_or_none(Counter.clerk == current().id)


def ticket_id_of(form):
    """The form's ``ticket_id`` as a number (0, no ticket, when it is not one)."""
    value = str(form.ticket_id.data or "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else 0


def _flash_error(exc):
    flash(form_message(exc, MESSAGES), "error")


def _choices(user):
    query = Counter.select().where(Counter.active).order_by(Counter.office, Counter.number)
    if user.office_id is not None:
        query = query.where(Counter.office == user.office_id)
    return choices((c.id, _("Counter %(n)s", n=c.number) + (f" – {c.name}" if c.name else ""))
                   for c in query)


@bp.get("")
@access("clerk")
def index():
    """Choose a counter, or the console of the counter the clerk is signed in at."""
    counter = _my_counter()
    if counter is None:
        form = SignInCounterForm()
        form.counter_id.choices = _choices(current())
        return render_template("counter/choose.html", form=form)
    office = counter.office
    day = business_day(office)
    waiting = offices.waiting_counts(office, day)
    ticket = calling.current_ticket(counter)
    transfer = TransferForm(ticket_id=ticket.id if ticket else "")
    transfer.service.choices = choices(
        (s.code, f"{s.code} – {service_name(s)}")
        for s in Service.select().where((Service.office == office) & Service.active)
        .order_by(Service.code) if ticket is None or s.id != ticket.service_id)
    served = counters.served_on(counter, day)
    now = utcnow()
    note = NoteForm(ticket_id=ticket.id if ticket else "", note=ticket.note if ticket else "")
    return render_template("counter/console.html", counter=counter, ticket=ticket,
                           form=ActionForm(), transfer=transfer, served=served, now=now,
                           queue=[(s, waiting.get(s.id, 0)) for s in counters.services_of(counter)],
                           line=calling.waiting_list(counter, now, limit=60), note=note,
                           undo=corrections.undoable_no_show(counter, now), iso=iso,
                           since=_since(ticket))


def _since(ticket):
    """When the ticket's current step began: the call, or the start once serving."""
    if ticket is None:
        return None
    return ticket.started_at if ticket.status == "serving" and ticket.started_at \
        else ticket.called_at


@bp.post("/sign-in")
@access("clerk")
def sign_in():
    """Take a counter."""
    form = SignInCounterForm()
    form.counter_id.choices = _choices(current())
    if valid_or_400(form):
        counter = counters.get_counter(form.counter_id.data)
        require_office(counter.office_id)
        try:
            counters.sign_in(counter.id, current())
        except QueueError as exc:
            if exc.code != "counter_taken":
                raise
            flash(_("Another clerk is signed in at counter %(n)s: choose another counter, "
                    "or ask a supervisor to sign them out.", n=counter.number), "error")
    return redirect(url_for(".index"))


def _act(run):
    """Run one engine action for the clerk's counter; a refusal becomes a message."""
    counter = _my_counter()
    if counter is None:
        flash(_("Choose your counter first."), "error")
        return redirect(url_for(".index"))
    try:
        note = run(counter)
    except QueueError as exc:
        _flash_error(exc)
    else:
        if note:
            flash(note, "info")
    return redirect(url_for(".index"))


@bp.post("/call-next")
@access("clerk")
def call_next():
    """Call the next waiting ticket."""
    valid_or_400(ActionForm())

    def run(counter):
        ticket = calling.call_next(counter.id, user=current())
        return _("Nobody is waiting.") if ticket is None else None
    return _act(run)


@bp.post("/finish-next")
@access("clerk")
def finish_next():
    """One press: finish the current ticket, then call the next one."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        _, called = calling.finish_and_call_next(counter.id, ticket_id_of(form),
                                                 user=current())
        return _("Nobody is waiting.") if called is None else None
    return _act(run)


@bp.post("/<any(recall, start, finish, 'no-show'):action>")
@access("clerk")
def ticket_action(action):
    """Recall, start, finish or no-show the ticket the page showed."""
    form = ActionForm()
    valid_or_400(form)

    def run(counter):
        ticket = tickets.get_ticket(form.ticket_id.data or 0)
        if ticket.counter_id != counter.id:
            raise QueueError("not yours", code="invalid_transition")
        TICKET_ACTIONS[action](ticket.id, user=current())
    return _act(run)


@bp.post("/transfer")
@access("clerk")
def transfer():
    """Move the current ticket to another service's line."""
    form = TransferForm()
    form.service.choices = choices((s.code, s.code) for s in Service.select())
    valid_or_400(form)

    def run(counter):
        ticket = tickets.get_ticket(form.ticket_id.data or 0)
        if ticket.counter_id != counter.id:
            raise QueueError("not yours", code="invalid_transition")
        new = tickets.transfer(ticket.id, form.service.data, user=current())
        return _("Ticket %(number)s moved to service %(code)s.", number=new.number,
                 code=new.service.code)
    return _act(run)


@bp.post("/<any(pause, resume):action>")
@access("clerk")
def pause_resume(action):
    """Pause (no calls) or resume the counter."""
    valid_or_400(ActionForm())
    return _act(lambda counter: (counters.pause if action == "pause" else counters.resume)(
        counter.id) and None)


from . import console_leave, console_queue  # noqa: E402,F401 - their routes are on ``bp``
