"""``cups://queue`` — a CUPS queue set up as a raw printer (``cups://`` alone: the default queue).

Needs the optional extra: ``pip install 'queue-server[cups]'`` (builds pycups,
which needs libcups2-dev). The job is submitted raw, so CUPS must not filter it.
"""
from __future__ import annotations

from printer.errors import PrinterConfigError, PrinterError, PrinterOfflineError
from printer.transports.base import Transport

INSTALL_HINT = "cups:// printers need pycups: pip install 'queue-server[cups]' (needs libcups2-dev)"


class CupsTransport(Transport):
    """Submits each job to CUPS through python-escpos ``CupsPrinter``.

    CUPS accepts the job into its spool, so a successful send means "queued",
    not "printed"; status is not available through CUPS (always unknown).
    """

    def __init__(self, queue: str = "", host: str = "localhost", port: int = 631, url: str = "") -> None:
        from escpos.printer import CupsPrinter

        if not CupsPrinter.is_usable():
            raise PrinterConfigError(INSTALL_HINT)
        self._cups_class = CupsPrinter
        self.queue, self.host, self.port = queue, host, port
        self.url = url or f"cups://{queue}"

    def send(self, data: bytes, job_name: str | None = None) -> None:
        """Submit ``data`` as one raw CUPS job titled ``job_name``."""
        printer = self._cups_class(self.queue, host=self.host, port=self.port)
        try:
            printer.open(job_name=job_name or "queue-ticket")
        except Exception as exc:
            raise PrinterOfflineError(f"CUPS queue {self.queue or '(default)'} not available: {exc}") from exc
        try:
            printer._raw(data)  # python-escpos' one raw-bytes method (buffers to a temp file)
            printer.send()
        except Exception as exc:  # cups.IPPError
            printer.pending_job = False  # or close() would submit the failed job once more
            raise PrinterError(f"CUPS refused the job: {exc}") from exc
        finally:
            printer.close()
