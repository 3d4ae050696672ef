"""The satisfaction tablet at a counter: rate the ticket just finished, no login."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..auth import PUBLIC, access
from ..engine import counters, ratings
from ..error_texts import form_message
from ..errors import QueueError
from ..forms import RatingForm
from ..models import utcnow
from .screens import office_language, valid_or_400

bp = Blueprint("rating", __name__)

IDLE_REFRESH_S = 4  # the idle tablet looks for a newly finished ticket this often
THANKS_S = 6


def home_url(counter):
    """The tablet's idle screen in the office's language: where every return goes, so
    the next citizen does not inherit the last one's language."""
    return url_for("rating.rate", counter_id=counter.id,
                   lang=counter.office.default_language or "vi")


@bp.route("/rate/<int:counter_id>", methods=["GET", "POST"])
@access(PUBLIC)
def rate(counter_id):
    """Idle screen, or the finished ticket with four large choices and a comment."""
    counter = counters.get_counter(counter_id)
    office_language(counter.office)
    form = RatingForm()
    if request.method == "POST" and valid_or_400(form):
        try:
            ratings.rate(counter.id, form.ticket_id.data, form.level.data, form.comment.data)
        except QueueError as exc:
            flash(form_message(exc), "error")
            return redirect(url_for(".rate", counter_id=counter.id))
        return redirect(url_for(".thanks", counter_id=counter.id))
    ticket = ratings.pending(counter)
    if ticket is None:
        return render_template("rate/idle.html", counter=counter, refresh_s=IDLE_REFRESH_S,
                               home_url=home_url(counter))
    left = ratings.RATE_WINDOW_S - int((utcnow() - ticket.finished_at).total_seconds())
    form.ticket_id.data = ticket.id
    return render_template("rate/ask.html", counter=counter, ticket=ticket, form=form,
                           levels=ratings.LEVELS, refresh_s=max(left, 1) + 1,
                           home_url=home_url(counter))


@bp.get("/rate/<int:counter_id>/thanks")
@access(PUBLIC)
def thanks(counter_id):
    """Thank you; back to idle after a few seconds."""
    counter = counters.get_counter(counter_id)
    office_language(counter.office)
    return render_template("rate/thanks.html", counter=counter, refresh_s=THANKS_S,
                           home_url=home_url(counter))
