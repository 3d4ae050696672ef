"""Printing tickets without ever blocking the kiosk or losing a ticket.

The ticket is committed first. A PrintJob row (status ``pending``) is written,
then the job goes to a background ``printer.Spooler`` per printer URL, which
retries with backoff. Results land back in the PrintJob row and in
``Ticket.print_status``. Jobs still pending when the server stopped are sent
again at start-up, so delivery is at least once: a job the printer took just
before a crash may print a second time, a ticket is never silently unprinted.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from printer import PrintJob as SpoolJob
from printer import PrinterConfigError, Spooler, TicketValue, build_job, open_transport

from .. import off_loop

from ..db import db
from ..errors import InvalidInput, NotFound
from ..models import Office, Printer, PrintJob, Service, Ticket, utcnow
from .clock import local
from .estimate import ahead_of, estimate_for
from .printer_urls import PrinterUrlPolicy

log = logging.getLogger(__name__)

#: What the API reports as ``printed`` for each Ticket.print_status.
PRINTED = {None: False, "pending": "pending", "printed": True, "failed": False}


def _printer_id(value):
    """A printer id from the API (an int) or a kiosk's ``?printer=`` (digits); else 400."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2 ** 63:
        raise InvalidInput(f"Printer {value!r} is not an active printer of this office.",
                           code="unknown_printer")
    return value


class PrintService:
    """The office's printers and their spoolers (one per printer URL)."""

    def __init__(self, default_url, *, preview_dir, retries=5, backoff=(1, 2, 4, 8, 16),
                 url_policy=None):
        self.default_url = self._resolve(default_url, preview_dir)
        # Admin-saved URLs (printers, offices) are checked again on every use: a row
        # saved before the rules existed must not write or connect anywhere either.
        # The default URL comes from the operator's environment and is trusted.
        self.url_policy = url_policy or PrinterUrlPolicy()
        self.preview_dir, self.retries, self.backoff = preview_dir, retries, tuple(backoff)
        self._spoolers, self._transports = {}, {}
        self._lock = threading.Lock()

    @staticmethod
    def _resolve(url, preview_dir):
        return f"preview://{preview_dir}" if url in ("preview:", "preview://") else url

    def printer_for(self, office, printer_id=None):
        """The Printer row to use (None = the office's or the server's default) and its URL."""
        if printer_id not in (None, ""):
            printer_id = _printer_id(printer_id)
            printer = Printer.get_or_none((Printer.id == printer_id) & (Printer.office == office)
                                          & Printer.active)
            if printer is None:  # a well-formed id of no such printer: not found
                raise NotFound(f"Printer {printer_id!r} is not an active printer of this "
                               "office.", code="unknown_printer")
            return printer, self._saved(printer.url)
        if office.printer_url:
            return None, self._saved(office.printer_url)
        return None, self.default_url

    def _saved(self, url):
        """An admin-saved URL, resolved, once the policy allows it (else InvalidInput)."""
        self.url_policy.check(url)
        return self._resolve(url, self.preview_dir)

    def allowed(self, url):
        """True for the default URL and for URLs the policy allows (resolved or not)."""
        if url == self.default_url:
            return True
        try:
            self.url_policy.check(url)
        except InvalidInput:
            return False
        return True

    def submit(self, ticket, track_url, printer_id=None):
        """Queue a print of ``ticket``; returns the ticket's print status ("pending")."""
        printer, url = self.printer_for(ticket.office, printer_id)
        with db.atomic():
            job = PrintJob.create(ticket=ticket, printer=printer, url=url,
                                  ahead=ahead_of(ticket), estimated_wait_s=estimate_for(ticket),
                                  track_url=track_url)
            Ticket.update(print_status="pending").where(Ticket.id == ticket.id).execute()
        ticket.print_status = "pending"
        self._spooler(url).submit(SpoolJob(job.id, b"", name=f"{ticket.number}-job{job.id}"))
        return "pending"

    def reprint(self, ticket_id, track_url, printer_id=None):
        """Print a ticket again (a new job); its print status."""
        return self.submit(Ticket.find(ticket_id), track_url, printer_id)

    def resume_pending(self):
        """Send again the jobs left pending by a stop; how many."""
        jobs = list(PrintJob.select().where(PrintJob.status == "pending").order_by(PrintJob.id))
        for job in jobs:
            self._spooler(job.url).submit(SpoolJob(job.id, b"", name=f"job{job.id}"))
        return len(jobs)

    def _spooler(self, url):
        with self._lock:
            if url not in self._spoolers:
                self._spoolers[url] = Spooler(self._deliver, self._on_result,
                                              retries=self.retries, backoff=self.backoff,
                                              name=f"spooler {url}")
            return self._spoolers[url]

    def transport(self, url):
        """The (cached) transport for a printer URL."""
        with self._lock:
            if url not in self._transports:
                self._transports[url] = open_transport(url)
            return self._transports[url]

    def _deliver(self, spool_job):
        with db.connection_context():
            job = PrintJob.get_by_id(spool_job.job_id)
            layout = job_layout(job)
        if not self.allowed(job.url):  # a job queued before the rules existed
            raise PrinterConfigError(f"printer URL {job.url!r} is refused by the server's "
                                     "printer URL rules")
        data = off_loop.run(build_job, *layout)  # Pillow: CPU, off the event loop
        transport = self.transport(job.url)
        if job.url.startswith("tcp://"):  # cooperative sockets under gevent
            transport.send(data, spool_job.job_name)
        else:  # a device file or USB write can block for as long as the printer stalls
            off_loop.run(transport.send, data, spool_job.job_name)

    def _on_result(self, job_id, ok, error, attempt):
        final = ok or attempt >= self.retries + 1
        status = "printed" if ok else ("failed" if final else "pending")
        with db.connection_context(), db.atomic():
            PrintJob.update(status=status, attempts=attempt, last_error=error or "",
                            updated_at=utcnow()).where(PrintJob.id == job_id).execute()
            job = PrintJob.get_by_id(job_id)
            if final:
                Ticket.update(print_status=status).where(Ticket.id == job.ticket_id).execute()
        if not ok:
            log.warning("print job %s attempt %s failed: %s", job_id, attempt, error)

    def drain(self, timeout=10):
        """Wait until every spooler is idle (tests, shutdown); True when all are."""
        return all(s.drain(timeout) for s in list(self._spoolers.values()))

    def stop(self):
        for spooler in list(self._spoolers.values()):
            spooler.stop()

    def statuses(self, office):
        """Each printer of the office with online/paper state and job counts."""
        rows = [(p.id, p.name, self._resolve(p.url, self.preview_dir))
                for p in Printer.select().where((Printer.office == office) & Printer.active)]
        default = (self._resolve(office.printer_url, self.preview_dir) if office.printer_url
                   else self.default_url)
        rows.insert(0, (None, "default", default))
        # Asked at once: each switched-off network printer costs a connect timeout.
        with ThreadPoolExecutor(max_workers=min(8, len(rows))) as pool:
            states = list(pool.map(self._status, [url for _, _, url in rows]))
        return [dict(id=pid, name=name, url=url, **state, **job_counts(office, url))
                for (pid, name, url), state in zip(rows, states)]

    def _status(self, url):
        if not self.allowed(url):  # never connect to it, not even to ask
            return {"online": False, "paper": "unknown",
                    "error": "refused by the server's printer URL rules"}
        try:
            state = self.transport(url).status()
        except PrinterConfigError as exc:
            return {"online": False, "paper": "unknown", "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a broken printer is a status, not a 500
            return {"online": False, "paper": "unknown", "error": str(exc)}
        return {"online": state.get("online"), "paper": state.get("paper", "unknown"),
                "error": None}


def job_counts(office, url):
    """Pending and failed jobs of the office at one printer URL."""
    base = (PrintJob.select().join(Ticket)
            .where((Ticket.office == office) & (PrintJob.url == url)))
    return {"pending": base.where(PrintJob.status == "pending").count(),
            "failed": base.where(PrintJob.status == "failed").count()}


def failed_jobs(office, limit=200):
    """The office's failed print jobs, newest first."""
    return list(PrintJob.select(PrintJob, Ticket).join(Ticket)
                .where((Ticket.office == office) & (PrintJob.status == "failed"))
                .order_by(PrintJob.id.desc()).limit(limit))


def job_layout(job):
    """``build_job`` arguments for a PrintJob row: the ticket value and the paper."""
    ticket = (Ticket.select(Ticket, Service, Office).join(Service).switch(Ticket).join(Office)
              .where(Ticket.id == job.ticket_id).get())
    printer = job.printer
    value = TicketValue(
        office_name=ticket.office.name, service_name_vi=ticket.service.name_vi,
        service_name_en=ticket.service.name_en or None, number=ticket.number,
        issued_at=local(ticket.office, ticket.issued_at), ahead=job.ahead,
        estimated_wait_s=job.estimated_wait_s, priority=ticket.priority,
        track_url=job.track_url or ticket.token, footer=printer.footer if printer else "")
    if printer is None:
        return value, 512, "TM-T88V", "raster"
    return value, printer.width_dots, printer.profile, printer.mode
