"""The admin's writes for ticket printers (one per kiosk), checked before saving."""
from printer import PrinterConfigError, TicketValue, build_job

from ..errors import InvalidInput
from ..models import PrintJob, Printer, utcnow
from .admin import create_or_update, refuse_duplicate, remove, required, text
from .clock import local
from .printer_urls import check_url

PRINTER_WIDTHS = (384, 512, 576)  # dots: 58 mm paper, then 80 mm
PRINT_MODES = ("raster", "text")


def check_printer(office, url, width_dots, profile, mode, footer="", policy=None):
    """InvalidInput unless ``url`` opens a transport, ``policy`` allows it
    (``printer_urls``) and the paper settings can print.

    The URL is parsed only (nothing is sent): an offline printer may still be
    saved. The settings are checked by building a sample ticket for them.
    """
    check_url(url, policy)
    if width_dots not in PRINTER_WIDTHS:
        raise InvalidInput("The paper width is 384, 512 or 576 dots.", code="bad_printer_paper")
    if mode not in PRINT_MODES:
        raise InvalidInput("The print mode is raster or text.", code="bad_printer_paper")
    sample = TicketValue(office_name=office.name, service_name_vi="Mẫu", service_name_en=None,
                         number="A001", issued_at=local(office, utcnow()), ahead=0,
                         estimated_wait_s=None, priority=False, track_url="-", footer=footer)
    try:
        build_job(sample, width_dots, profile, mode)
    except PrinterConfigError as exc:
        raise InvalidInput(str(exc), code="bad_printer_paper") from None


def save_printer(office, printer=None, *, name, url, width_dots=512, profile="TM-T88V",
                 mode="raster", footer="", active=True, policy=None):
    """Create or update a ticket printer of ``office`` (names unique per office).

    ``policy``: the server's ``printer_urls.PrinterUrlPolicy`` (default: the strictest).
    """
    fields = dict(name=required(name, "Name"), url=required(url, "The printer URL"),
                  width_dots=width_dots, profile=required(profile, "The profile"),
                  mode=mode, footer=text(footer, "The footer"), active=bool(active))
    check_printer(office, fields["url"], width_dots, fields["profile"], mode, fields["footer"],
                  policy)
    refuse_duplicate(Printer.select().where((Printer.office == office)
                                            & (Printer.name == fields["name"])),
                     printer, f"Printer {fields['name']!r} already exists in this office.",
                     fields["name"])
    return create_or_update(Printer, printer, fields, "printer", office=office)


def remove_printer(printer):
    """Delete a printer no print job refers to; deactivate it otherwise."""
    return remove(printer, "printer",
                  lambda: PrintJob.select().where(PrintJob.printer == printer).exists(),
                  name=printer.name)
