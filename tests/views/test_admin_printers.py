"""Admin printers page: live status, kiosk URLs, add/edit/remove, bad URLs, failed-job reprint."""
import re
import socket

import pytest

from queue_server.models import AuditLog, Printer, PrintJob, Ticket
from tests.printer.fakes import FakePrinter, read_raster_job

from .helpers import sign_in

PAGE = "/admin/offices/1/printers"
FORM = {"name": "Máy lấy số tầng 1", "url": "preview:", "width_dots": "512",
        "profile": "TM-T88V", "mode": "raster", "footer": "Xin cảm ơn!", "active": "y"}


@pytest.fixture
def fakes():
    made = []

    def make(*behaviours, **kwargs):
        made.append(FakePrinter(*behaviours, **kwargs))
        return made[-1]
    yield make
    for fake in made:
        fake.close()


def _dead_url():
    """A tcp:// URL where nothing listens: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"tcp://127.0.0.1:{port}?timeout=0.5"


def _errors(html):
    return re.findall(r'class="field-error"[^>]*>([^<]*)<', html)


def _create(client, **changes):
    response = client.post(PAGE, data={**FORM, **changes})
    assert response.status_code == 302, _errors(response.get_data(as_text=True))
    return Printer.get(Printer.name == changes.get("name", FORM["name"]))


def _kiosk_ticket(client, printer):
    """Take a ticket at the kiosk bound to ``printer``; its number."""
    response = client.post(f"/kiosk/1?printer={printer.id}", data={"service": "A"})
    assert response.status_code == 302
    return Ticket.select().order_by(Ticket.id.desc()).get()


def test_page_shows_status_and_kiosk_urls_in_vi_and_en(client, fakes):
    sign_in(client, "admin")
    ready = fakes(default=("status", b"\x12\x12"))  # online, paper ok
    empty = fakes(default=("status", b"\x12\x72"))  # online, paper out
    up = Printer.create(office=1, name="Quầy A", url=ready.url)
    out = Printer.create(office=1, name="Quầy B", url=empty.url)
    down = Printer.create(office=1, name="Quầy C", url=_dead_url())
    vi = client.get(PAGE + "?lang=vi").get_data(as_text=True)
    for text in ("Máy in", "Đang kết nối", "Hết giấy", "Mất kết nối", "Lệnh in bị lỗi",
                 "Không có lệnh in nào bị lỗi.", "Thêm máy in", '<html lang="vi">'):
        assert text in vi, text
    en = client.get(PAGE + "?lang=en").get_data(as_text=True)
    for text in ("Printers", "Online", "Offline", "Failed print jobs", "New printer",
                 "Kiosk URL to use", '<html lang="en">'):
        assert text in en, text
    for printer in (up, out, down):
        assert f"http://localhost/kiosk/1?printer={printer.id}" in en
    row = en[en.index("Quầy B"):en.index("Quầy C")]
    assert "Online" in row and "Out" in row


def test_create_edit_and_remove_deactivates_when_jobs_refer(app, client):
    sign_in(client, "admin")
    printer = _create(client)
    assert (printer.width_dots, printer.mode, printer.footer) == (512, "raster", "Xin cảm ơn!")
    edit = client.get(f"{PAGE}?printer={printer.id}&lang=en").get_data(as_text=True)
    assert "Printer Máy lấy số tầng 1" in edit and 'value="Xin cảm ơn!"' in edit
    response = client.post(f"{PAGE}?printer={printer.id}",
                           data={**FORM, "width_dots": "384", "mode": "text"})
    assert response.status_code == 302
    assert Printer.select().count() == 1
    assert (Printer.get_by_id(printer.id).width_dots, Printer.get_by_id(printer.id).mode) == \
        (384, "text")
    # Unused: deleted for real.
    page = client.post(f"{PAGE}/remove?lang=vi", data={"row_id": printer.id},
                       follow_redirects=True)
    assert "Đã xoá." in page.get_data(as_text=True)
    assert Printer.get_or_none(Printer.id == printer.id) is None
    # A kiosk printed on it: deactivated, and its kiosk URL is no longer offered.
    printer = _create(client, name="Máy lấy số tầng 2")
    _kiosk_ticket(client, printer)
    app.extensions["printing"].drain()
    assert PrintJob.select().where(PrintJob.printer == printer.id).count() == 1
    page = client.post(f"{PAGE}/remove?lang=en", data={"row_id": printer.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "Print jobs refer to it, so it was deactivated instead of deleted." in page
    assert Printer.get_by_id(printer.id).active is False
    assert f"/kiosk/1?printer={printer.id}" not in page
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.id)]
    assert actions[-5:] == ["printer.create", "printer.update", "printer.delete",
                            "printer.create", "printer.deactivate"]
    assert AuditLog.select().order_by(AuditLog.id.desc()).get().username == "admin"


def test_bad_url_or_paper_is_a_form_error_and_writes_nothing(client):
    sign_in(client, "admin")
    printer = _create(client, url="tcp://192.168.1.50:9100")
    audits = AuditLog.select().count()
    for url in ("lpt1", "tcp://:9100", "gopher://printer", "tcp://host:port"):
        response = client.post(PAGE, data={**FORM, "name": "Khác", "url": url})
        assert response.status_code == 400, url
        errors = _errors(response.get_data(as_text=True))
        assert len(errors) == 1 and errors[0].startswith("Không dùng được địa chỉ máy in này:")
    edit = client.post(f"{PAGE}?printer={printer.id}&lang=en", data={**FORM, "url": "usb://zz"})
    assert edit.status_code == 400
    assert "This printer URL cannot be used: usb:// needs hex vendor and product ids" in \
        _errors(edit.get_data(as_text=True))[0]
    wide = client.post(PAGE, data={**FORM, "name": "Khác", "width_dots": "576"})
    assert "prints at most 512 dots" in _errors(wide.get_data(as_text=True))[0]
    same = client.post(PAGE + "?lang=vi", data={**FORM, "url": "preview:"})
    assert _errors(same.get_data(as_text=True)) == ["Cơ quan đã có một máy in khác trùng tên này."]
    assert [(p.name, p.url) for p in Printer.select()] == \
        [(FORM["name"], "tcp://192.168.1.50:9100")]
    assert AuditLog.select().count() == audits


def test_failed_job_reprint_arrives_at_a_real_tcp_printer(app, client, fakes):
    service = app.extensions["printing"]
    service.retries = 0  # fail at the first refusal instead of retrying for 31 s
    sign_in(client, "admin")
    printer = _create(client, url=_dead_url())
    ticket = _kiosk_ticket(client, printer)
    assert service.drain()
    page = client.get(PAGE + "?lang=en").get_data(as_text=True)
    failed = page[page.index("Failed print jobs"):]
    assert ticket.number in failed and "Not printed" in failed and "unreachable" in failed
    job_id = re.search(r'name="job_id" type="hidden" value="(\d+)"', failed).group(1)
    # The printer is mended at a new address; the admin points the row at it and reprints.
    fake = fakes()
    assert client.post(f"{PAGE}?printer={printer.id}",
                       data={**FORM, "url": fake.url}).status_code == 302
    response = client.post(f"{PAGE}/reprint", data={"job_id": job_id,
                                                   "printer_id": str(printer.id)})
    assert response.status_code == 302
    assert fake.wait_for_jobs(1)
    paper = read_raster_job(fake.jobs[0], 512)  # a whole raster ticket, cut at the end
    assert paper.width == 512 and paper.height > 400
    assert service.drain()
    assert Ticket.get_by_id(ticket.id).print_status == "printed"
    page = client.get(PAGE + "?lang=en").get_data(as_text=True)
    assert f"Ticket {ticket.number} was sent to the printer again." in page
    assert "Printed" in page[page.index("Failed print jobs"):]


def test_reprint_of_another_offices_job_or_nothing_is_refused(client):
    sign_in(client, "admin")
    assert client.post(f"{PAGE}/reprint", data={"job_id": "999"}).status_code == 404
    assert client.post(f"{PAGE}/reprint", data={}).status_code == 400
    assert client.post(f"{PAGE}/remove", data={"row_id": "x"}).status_code == 404
    assert client.get(f"{PAGE}?printer=12345").status_code == 404


@pytest.mark.parametrize("username", ["clerk1", "supervisor"])
def test_clerks_and_supervisors_are_refused(client, username):
    sign_in(client, username)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, data=FORM).status_code == 403
    assert client.post(f"{PAGE}/remove", data={"row_id": "1"}).status_code == 403
    assert client.post(f"{PAGE}/reprint", data={"job_id": "1"}).status_code == 403
    assert Printer.select().count() == 0


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/login?next=" in response.location
    assert client.post(PAGE, data=FORM).status_code == 302
    assert Printer.select().count() == 0
