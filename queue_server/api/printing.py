"""Printing over the API: reprint a ticket, printer status, failed jobs."""
from flask import jsonify, request

from ..auth import access, require_office
from ..engine import offices, tickets
from ..engine.clock import iso
from ..engine.printing import failed_jobs
from ..printing import print_ticket, service
from . import bp, id_field, optional_json_body
from .serialize import ticket_json


@bp.post("/tickets/<int:ticket_id>/reprint")
@access("clerk")
def reprint(ticket_id):
    """Print the ticket again (e.g. after a paper jam); 202 with the ticket."""
    ticket = tickets.get_ticket(ticket_id)
    require_office(ticket.office_id)
    printer_id = id_field(optional_json_body(), "printer")
    print_ticket(ticket, printer_id=printer_id)
    return jsonify(ticket_json(ticket)), 202


@bp.get("/printers")
@access("supervisor")
def printers():
    """The office's printers: online/offline, paper, pending and failed jobs."""
    office = offices.get_office(request.args.get("office"))
    require_office(office.id)
    return jsonify(service().statuses(office))


@bp.get("/print-jobs/failed")
@access("supervisor")
def failed():
    """Print jobs that failed after every retry, newest first, to reprint."""
    office = offices.get_office(request.args.get("office"))
    require_office(office.id)
    return jsonify([{"id": job.id, "ticket_id": job.ticket_id, "number": job.ticket.number,
                     "url": job.url, "attempts": job.attempts, "error": job.last_error,
                     "at": iso(job.updated_at)} for job in failed_jobs(office)])
