"""Admin: an office's ticket printers, their live status, and reprints of failed jobs.

One page lists the printers (with the URL each kiosk opens), their status and
the failed jobs, and holds the add/edit form (``?printer=<id>`` edits one).
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import printing
from ...api.serialize import track_url
from ...auth import access
from ...engine import printers as printer_admin
from ...engine.clock import local
from ...engine.offices import get_office
from ...engine.printing import failed_jobs
from ...error_texts import PRINTER_URL_REFUSED, form_message
from ...errors import InvalidInput, NotFound, QueueError
from ...forms import PrinterForm, ReprintForm, RowActionForm, choices
from ...models import Printer, PrintJob, Ticket
from ..screens import valid_or_400
from . import bp

FIELDS = ("name", "url", "width_dots", "profile", "mode", "footer", "active")
#: Engine refusals shown beside the field they are about (others are flashed), with a
#: translated lead: the detail comes from the printer package, in English.
FIELD_OF = {"bad_printer_url": ("url", _l("This printer URL cannot be used: %(detail)s")),
            "bad_printer_paper": ("profile", _l("These paper settings cannot print: %(detail)s")),
            "duplicate": ("name", _l("Another printer of this office has this name.")),
            **{code: ("url", message) for code, message in PRINTER_URL_REFUSED.items()}}
REMOVED = {"deleted": _l("Deleted."),
           "deactivated": _l("Print jobs refer to it, so it was deactivated instead of deleted.")}


def row_id(value):
    """A row id from a form or query argument; anything else finds nothing."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _printer(office, printer_id):
    printer = Printer.get_or_none((Printer.id == row_id(printer_id)) & (Printer.office == office))
    if printer is None:
        raise NotFound(_("This office has no such printer."))
    return printer


def save_into_form(form, run, field_of):
    """Run an engine write for a validated form; a refusal becomes a message on its field.

    Returns the result, or None when nothing was written (the form holds why).
    """
    if not valid_or_400(form):
        return None
    try:
        result = run()
    except QueueError as exc:
        if exc.code not in field_of:
            flash(form_message(exc), "error")
            return None
        name, lead = field_of[exc.code]
        values = {"detail": exc.message, **exc.params}
        form[name].errors = list(form[name].errors) + [str(lead) % values]
        return None
    flash(_("Saved."), "info")
    return result


def _kiosk_url(office, printer):
    return url_for("kiosk.start", office_id=office.id, printer=printer.id,
                   key=office.kiosk_key or None, _external=True)


def _page(office, printer, form, status=200):
    all_printers = list(office.printers.order_by(Printer.name))
    by_id = {p.id: p for p in all_printers}
    active = [p for p in all_printers if p.active]
    options = choices([("", _("Default printer"))] + [(str(p.id), p.name) for p in active])
    jobs = []
    for job in failed_jobs(office):
        reprint = ReprintForm(formdata=None, job_id=job.id, printer_id=str(
            job.printer_id) if job.printer_id in {p.id for p in active} else "")
        reprint.printer_id.choices = options
        jobs.append({"job": job, "printer": by_id.get(job.printer_id), "form": reprint,
                     "at": local(office, job.updated_at).strftime("%d/%m %H:%M")})
    return render_template(
        "admin/printers.html", office=office, printer=printer, form=form,
        printers=all_printers, statuses={s["id"]: s for s in printing.service().statuses(office)},
        kiosk_urls={p.id: _kiosk_url(office, p) for p in active}, jobs=jobs,
        row_form=RowActionForm()), status


@bp.route("/offices/<int:office_id>/printers", methods=["GET", "POST"])
@access("admin")
def printers(office_id):
    """The office's printers, status, kiosk URLs and failed jobs; add or (``?printer=``) edit."""
    office = get_office(office_id)
    printer = _printer(office, request.args["printer"]) if request.args.get("printer") else None
    form = PrinterForm(obj=printer)

    def run():
        return printer_admin.save_printer(office, printer, policy=printing.service().url_policy,
                                          **{name: getattr(form, name).data for name in FIELDS})
    if request.method == "POST":
        if save_into_form(form, run, FIELD_OF) is not None:
            return redirect(url_for(".printers", office_id=office.id))
        return _page(office, printer, form, status=400)
    return _page(office, printer, form)


@bp.post("/offices/<int:office_id>/printers/remove")
@access("admin")
def printer_remove(office_id):
    """Delete a printer, or deactivate it when print jobs refer to it."""
    office = get_office(office_id)
    form = RowActionForm()
    if not valid_or_400(form):
        raise InvalidInput(_("Choose a printer to remove."))
    flash(str(REMOVED[printer_admin.remove_printer(_printer(office, form.row_id.data))]), "info")
    return redirect(url_for(".printers", office_id=office.id))


@bp.post("/offices/<int:office_id>/printers/reprint")
@access("admin")
def printer_reprint(office_id):
    """Print a failed job's ticket again, at the printer chosen (default: its own)."""
    office = get_office(office_id)
    form = ReprintForm()
    if not valid_or_400(form):
        raise InvalidInput(_("Choose a print job to reprint."))
    job = (PrintJob.select(PrintJob, Ticket).join(Ticket)
           .where((PrintJob.id == row_id(form.job_id.data)) & (Ticket.office == office)).first())
    if job is None:
        raise NotFound(_("This office has no such print job."))
    try:
        printing.service().reprint(job.ticket_id, track_url(job.ticket),
                                   form.printer_id.data or None)
    except QueueError as exc:
        flash(form_message(exc), "error")
    else:
        flash(_("Ticket %(number)s was sent to the printer again.", number=job.ticket.number),
              "info")
    return redirect(url_for(".printers", office_id=office.id))
