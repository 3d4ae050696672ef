"""Leaving the counter (sign-out, change of counter) with a ticket in hand: the clerk
says what becomes of it first, so it is never stranded (``engine.leaving``)."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import access, current
from ..engine import leaving
from ..errors import QueueError
from ..forms import LeaveForm
from .console import _flash_error, bp
from .screens import valid_or_400

#: Where the clerk goes once the counter is left.
THEN = ("choose", "logout")


def _then(value):
    return value if value in THEN else "choose"


@bp.get("/leave")
@access("clerk")
def leave_page():
    """Ask what becomes of the ticket in hand (or leave at once when there is none)."""
    held = leaving.ticket_in_hand(current())
    then = _then(request.args.get("then"))
    if held is None:
        return render_template("counter/leave.html", counter=None, ticket=None,
                               form=LeaveForm(then=then), then=then)
    counter, ticket = held
    form = LeaveForm(then=then, ticket="release" if ticket.status == "called" else "finish")
    return render_template("counter/leave.html", counter=counter, ticket=ticket, form=form,
                           then=then)


@bp.post("/leave")
@access("clerk")
def leave():
    """Leave the counter: settle its ticket as chosen, then sign out or choose another."""
    form = LeaveForm()
    valid_or_400(form)
    then = _then(form.then.data)
    if leaving.ticket_in_hand(current()) is not None and not form.ticket.data:
        return redirect(url_for(".leave_page", then=then))
    try:
        leaving.sign_out(current(), form.ticket.data or None)
    except QueueError as exc:
        _flash_error(exc)
        return redirect(url_for(".leave_page", then=then))
    if then == "logout":
        from .account import end_session
        return end_session()
    flash(_("You left the counter."), "info")
    return redirect(url_for(".index"))
