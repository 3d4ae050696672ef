"""Queue tickets on ESC/POS printers: layout, job bytes, transports and a spooler.

Takes plain values only (no Flask, no queue_server import), so the app calls::

    from printer import TicketValue, build_job, open_transport, Spooler, PrintJob

    transport = open_transport(app.config["QUEUE_PRINTER_URL"])   # e.g. "tcp://10.0.0.9:9100"
    spooler = Spooler(lambda job: transport.send(job.data, job.job_name), on_result)
    spooler.submit(PrintJob(ticket_id, build_job(ticket_value, width_dots=512)))
"""
from printer.errors import PrinterConfigError, PrinterError, PrinterOfflineError
from printer.job import build_job
from printer.layout import render_text, render_ticket
from printer.spool import PrintJob, Spooler
from printer.ticket import TicketValue
from printer.transports import Transport, open_transport

__all__ = [
    "TicketValue", "render_ticket", "render_text", "build_job",
    "Transport", "open_transport", "PrintJob", "Spooler",
    "PrinterError", "PrinterOfflineError", "PrinterConfigError",
]
