"""Printer URLs an admin may save: devices, the instance folder, no odd addresses (issue 15).

The negative cases check the form's answer only: nothing here lets the server
connect to an address outside this machine.
"""
import html
import re
import socket

import pytest

from queue_server import create_app
from queue_server.db import db
from queue_server.engine.printer_urls import PrinterUrlPolicy
from queue_server.errors import InvalidInput
from queue_server.models import Office, Printer, PrintJob, Ticket

from .helpers import sign_in

PAGE = "/admin/offices/1/printers"
FORM = {"name": "Máy in thử", "url": "preview:", "width_dots": "512", "profile": "TM-T88V",
        "mode": "raster", "footer": "", "active": "y"}
NOT_A_DEVICE = ("file:///etc/passwd", "file:///tmp/ticket.bin", "file://relative/lp0",
                "file:///dev/usb/lp0/../../../etc/passwd", "file:///dev/sda",
                "serial:///etc/shadow", "file://COM3")
ADDRESSES = ("tcp://169.254.169.254:80", "tcp://[fe80::1]:9100", "tcp://224.0.0.1:9100",
             "tcp://[ff02::1]:9100", "tcp://0.0.0.0:9100", "tcp://[::]:9100",
             "tcp://255.255.255.255:9100", "tcp://[::ffff:169.254.169.254]:9100")
LOOPBACK = ("tcp://127.0.0.1:9100", "tcp://127.1.2.3:9100", "tcp://localhost:9100",
            "tcp://[::1]:9100", "tcp://[::ffff:127.0.0.1]:9100")


def _errors(response):
    return [html.unescape(e) for e in
            re.findall(r'class="field-error"[^>]*>([^<]*)<', response.get_data(as_text=True))]


def _refused(client, url, lang):
    before = Printer.select().count()
    response = client.post(f"{PAGE}?lang={lang}", data={**FORM, "url": url})
    assert response.status_code == 400, url
    assert Printer.select().count() == before
    errors = _errors(response)
    assert len(errors) == 1, (url, errors)
    return errors[0]


@pytest.mark.parametrize("url", NOT_A_DEVICE)
def test_file_and_serial_urls_must_name_a_printer_device(client, url):
    sign_in(client, "admin")
    assert _refused(client, url, "en").startswith("A file:// or serial:// printer must be a "
                                                  "printer device")
    assert _refused(client, url, "vi").startswith("Máy in file:// hoặc serial:// phải là")


@pytest.mark.parametrize("where", ["/tmp/anywhere", "{instance}/../outside", "../outside",
                                   "/etc"])
def test_preview_writes_only_under_the_instance_folder(app, client, where):
    sign_in(client, "admin")
    url = "preview://" + where.format(instance=app.instance_path)
    assert _refused(client, url, "en").startswith("preview: may only write under the "
                                                  "server's instance folder")
    assert "thư mục instance" in _refused(client, url, "vi")


@pytest.mark.parametrize("url", ADDRESSES)
def test_tcp_refuses_link_local_multicast_and_unspecified_addresses(client, url):
    sign_in(client, "admin")
    assert _refused(client, url, "en").startswith("This printer address cannot be used")
    assert _refused(client, url, "vi").startswith("Không dùng được địa chỉ máy in này")


def test_a_long_timeout_is_refused(client):
    sign_in(client, "admin")
    for timeout in ("600", "inf", "nan", "0"):
        url = f"tcp://127.0.0.1:9100?timeout={timeout}"
        assert _refused(client, url, "en") == "A printer timeout is at most 10 seconds."
    assert _refused(client, "tcp://127.0.0.1:9100?timeout=60", "vi") == \
        "Thời gian chờ máy in tối đa là 10 giây."


def test_devices_the_instance_folder_and_loopback_in_tests_are_saved(app, client):
    sign_in(client, "admin")
    good = ("file:///dev/usb/lp0", "file:///dev/ttyUSB1", "file:///dev/ttyACM0",
            "file:///dev/lp2", "preview:",
            f"preview://{app.instance_path}/printed/kiosk-1", "tcp://127.0.0.1:9100?timeout=2")
    for n, url in enumerate(good):
        response = client.post(PAGE, data={**FORM, "name": f"P{n}", "url": url})
        assert response.status_code == 302, (url, _errors(response))
    assert sorted(p.url for p in Printer.select()) == sorted(good)


@pytest.fixture
def strict_app(db_url, tmp_path):
    """The app as deployed: QUEUE_PRINTER_ALLOW_LOOPBACK unset."""
    from tests.conftest import _config_dict

    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "PRINTER_ALLOW_LOOPBACK": False,
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    db.connect(reuse_if_open=True)
    yield app
    app.extensions["printing"].stop()
    if not db.is_closed():
        db.close()


@pytest.mark.parametrize("url", LOOPBACK)
def test_loopback_is_refused_unless_the_setting_allows_it(strict_app, url):
    client = strict_app.test_client()
    sign_in(client, "admin")
    assert _refused(client, url, "en").startswith("This printer address cannot be used")


def test_the_office_kiosk_printer_url_follows_the_same_rules(client):
    sign_in(client, "admin")
    office = Office.get_by_id(1)
    data = {"name": office.name, "timezone": office.timezone, "default_language": "vi",
            "opening_hours": "", "notice": "", "display_key": "", "kiosk_key": ""}
    refused = client.post("/admin/offices/1?lang=en",
                          data={**data, "printer_url": "file:///etc/passwd"})
    assert "A file:// or serial:// printer must be a printer device" in \
        refused.get_data(as_text=True)
    vi = client.post("/admin/offices/1?lang=vi", data={**data, "printer_url": "preview:///tmp"})
    assert "chỉ được ghi trong thư mục instance" in vi.get_data(as_text=True)
    assert Office.get_by_id(1).printer_url == office.printer_url
    saved = client.post("/admin/offices/1", data={**data, "printer_url": "file:///dev/usb/lp0"})
    assert saved.status_code == 302 and Office.get_by_id(1).printer_url == "file:///dev/usb/lp0"


def test_a_row_saved_before_the_rules_neither_writes_nor_connects(app, client, tmp_path,
                                                                  monkeypatch):
    attempts = []
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        attempts.append(address)
        if not str(address[0]).startswith("127."):
            raise AssertionError(f"the server tried to connect to {address}")
        return real(address, *args, **kwargs)
    monkeypatch.setattr(socket, "create_connection", guarded)
    outside = tmp_path / "outside"
    written = Printer.create(office=1, name="old file", url=f"preview://{outside}")
    probing = Printer.create(office=1, name="old tcp", url="tcp://169.254.169.254:80")

    kiosk = client.post(f"/kiosk/1?printer={written.id}", data={"service": "A"})
    assert kiosk.status_code == 302  # the citizen still gets the ticket on screen
    app.extensions["printing"].drain(timeout=10)
    assert not outside.exists()
    assert PrintJob.select().where(PrintJob.printer == written).count() == 0

    sign_in(client, "admin")
    page = client.get(PAGE + "?lang=en")
    assert page.status_code == 200
    assert attempts == []  # the status of the old rows was not asked over the network
    statuses = {s["name"]: s for s in app.extensions["printing"].statuses(Office.get_by_id(1))}
    assert statuses[probing.name]["online"] is False
    assert "refused" in statuses[probing.name]["error"]
    assert Ticket.select().count() >= 1


def test_the_policy_by_itself():
    strict = PrinterUrlPolicy("/srv/queue/instance")
    for url in ("tcp://192.168.1.50:9100", "tcp://10.0.0.9", "file:///dev/usb/lp0",
                "preview:", "preview:///srv/queue/instance/printed", "usb://04b8:0202",
                "cups://kiosk"):
        assert strict.check(url) == url
    for url in ("tcp://127.0.0.1", "preview:///srv/queue/instance-other",
                "preview:///srv/queue", "file://COM3"):
        with pytest.raises(InvalidInput):
            strict.check(url)
    windows = PrinterUrlPolicy("C:/queue/instance", windows=True)
    for url in ("file://COM3", "file:///COM12", "serial://\\\\.\\COM10", "file://LPT1"):
        assert windows.check(url) == url
    assert PrinterUrlPolicy(allow_loopback=True).check("tcp://[::1]:9100")
