"""Citizens' feedback: the form on the phone page and the office's inbox (supervisor+)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth import PUBLIC, access, current, require_office
from ..engine import feedback, offices, tracking
from ..error_texts import form_message
from ..errors import QueueError
from ..forms_feedback import FeedbackForm, InboxActionForm
from ..models.regions import FEEDBACK_STATES
from .screens import valid_or_400

bp = Blueprint("feedback", __name__)



@bp.app_context_processor
def _helpers():
    # The phone page includes track/_feedback.html; it asks for the ticket's items here.
    return {"ticket_feedback": feedback.for_ticket, "feedback_form": FeedbackForm,
            "feedback_states": _state_names}


def _state_names():
    return {"new": _("New"), "handling": _("Being handled"), "answered": _("Answered"),
            "closed": _("Closed"), "spam": _("Spam or abuse")}


@bp.post("/t/<token>/feedback")
@access(PUBLIC)
def from_ticket(token):
    """A citizen's comment from their tracking page; the answer appears there."""
    ticket = tracking.by_token(token)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            feedback.submit(ticket.office, form.text.data, form.contact.data or "",
                            ticket=ticket, source="phone")
            flash(_("Thank you. The office will answer here."), "info")
        except QueueError:
            flash(_("Write the feedback first (at most 2,000 characters)."), "error")
    else:
        valid_or_400(form)
        flash(_("Write the feedback first (at most 2,000 characters)."), "error")
    return redirect(url_for("track.ticket", token=token) + "#feedback")


def _office():
    office = offices.get_office(request.args.get("office") or current().office_id)
    require_office(office.id)
    return office


@bp.get("/supervisor/feedback")
@access("supervisor")
def inbox():
    """The office's feedback, by state; answers are timed against the office's promise."""
    office = _office()
    state = request.args.get("state") or None
    if state not in (None,) + FEEDBACK_STATES + ("spam",):
        state = None
    return render_template("feedback/inbox.html", office=office, state=state,
                           items=feedback.inbox(office, state), form=InboxActionForm(),
                           states=_state_names(), in_time=feedback.in_time,
                           due=feedback.answer_due)


@bp.post("/supervisor/feedback/<int:feedback_id>")
@access("supervisor")
def act(feedback_id):
    """Move an item (handling, closed), mark it as spam, or answer it."""
    form = InboxActionForm()
    valid_or_400(form)
    item = feedback.get(feedback_id)
    require_office(item.office_id)
    action = form.action.data
    try:
        if action == "answer":
            feedback.answer(item, form.text.data or "", user=current())
        elif action in ("spam", "not_spam"):
            feedback.mark_spam(item, action == "spam")
        else:
            feedback.move(item, action, user=current())
        flash(_("Saved."), "info")
    except QueueError as exc:
        flash(form_message(exc), "error")
    return redirect(url_for(".inbox", office=item.office_id, state=request.args.get("state")))
