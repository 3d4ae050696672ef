"""The admin screens: offices, services, counters, users, printers and display keys."""
from flask import Blueprint, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...auth import access
from ...engine.availability import unserved
from ...error_texts import form_message
from ...errors import QueueError
from ...models import Office, User
from ..screens import require_sign_in

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_sign_in)

REMOVED = {"deleted": _l("Deleted."),
           "deactivated": _l("Tickets refer to it, so it was deactivated instead of deleted.")}


def save_or_flash(form, run):
    """Run an engine write for a validated form; a refusal becomes a form message.

    Returns the result, or None when nothing was written.
    """
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            from ..screens import valid_or_400
            valid_or_400(form)
        return None
    try:
        result = run()
    except QueueError as exc:
        flash(form_message(exc), "error")
        return None
    flash(_("Saved."), "info")
    return result


def render_form(form, title, status=200, **extra):
    """The generic admin form page."""
    code = 400 if form.errors else status
    return render_template("admin/form.html", form=form, title=title, **extra), code


@bp.get("")
@access("admin")
def index():
    """Offices and a link to the users."""
    rows = list(Office.select().order_by(Office.id))
    return render_template("admin/index.html", offices=rows, users=User.select().count(),
                           unserved={o.id: [s.code for s in unserved(o)] for o in rows})


from . import counters, offices, services, users  # noqa: E402,F401
from . import printers, zones  # noqa: E402,F401
from . import hours, screen_links  # noqa: E402,F401  (issue 16: hours, screens)
