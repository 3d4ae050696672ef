"""The app's printing service: built from config, reached through ``current_app``."""
import os

from flask import current_app, request

from .db import db
from .engine.printer_urls import PrinterUrlPolicy
from .engine.printing import PrintService


def init_app(app):
    """Create the PrintService and send again the jobs a previous run left pending."""
    backoff = [float(v) for v in str(app.config["PRINT_BACKOFF"]).split(",") if v.strip()]
    policy = PrinterUrlPolicy(app.instance_path,
                              allow_loopback=app.config.get("PRINTER_ALLOW_LOOPBACK", False))
    service = PrintService(app.config["PRINTER"],
                           preview_dir=os.path.join(app.instance_path, "printed"),
                           retries=int(app.config["PRINT_RETRIES"]), backoff=backoff,
                           url_policy=policy)
    app.extensions["printing"] = service
    if app.config.get("PRINT_RESUME", True):
        with db.connection_context():
            resumed = service.resume_pending()
        if resumed:
            app.logger.warning("Sending again %s print job(s) left pending", resumed)


def service():
    """The current app's PrintService."""
    return current_app.extensions["printing"]


def print_ticket(ticket, printer_id=None):
    """Queue ``ticket`` for printing at the kiosk's printer (``?printer=<id>``); "pending"."""
    from .api.serialize import track_url

    if printer_id is None:
        printer_id = request.values.get("printer") or None
    return service().submit(ticket, track_url(ticket), printer_id)
