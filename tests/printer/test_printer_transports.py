"""Transports against real peers: a TCP printer on 127.0.0.1, files on disk."""
import time

import pytest
from PIL import Image

from printer import PrinterConfigError, PrinterError, PrinterOfflineError, build_job, open_transport, render_ticket
from printer.spool import PrintJob, Spooler
from tests.printer.fakes import make_ticket, read_raster_job, same_pixels


def test_tcp_printer_receives_the_whole_job(fake_printer):
    server = fake_printer()
    ticket = make_ticket()
    data = build_job(ticket, width_dots=512)
    open_transport(server.url).send(data)
    assert server.wait_for_jobs(1)
    received = server.jobs[0]
    assert received == data
    assert received.startswith(b"\x1b@")  # ESC @ initialise
    assert b"\x1dv0" in received  # GS v 0 raster
    assert received.endswith(b"\x1dV\x00")  # GS V 0 cut
    assert same_pixels(read_raster_job(received, 512), render_ticket(ticket, 512))


def test_refused_connection_fails_fast():
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(PrinterOfflineError):
        open_transport(f"tcp://127.0.0.1:{port}").send(b"\x1b@")
    assert time.monotonic() - started < 5


def test_printer_that_never_reads_times_out(fake_printer):
    server = fake_printer("never_read", rcvbuf=4096)
    data = build_job(make_ticket(), width_dots=512, compact=False)  # 60 KB: more than the window holds
    started = time.monotonic()
    with pytest.raises(PrinterOfflineError):
        open_transport(server.url).send(data)
    assert time.monotonic() - started < 5


def test_printer_closing_mid_job_is_an_error(fake_printer):
    server = fake_printer(("close_after", 1000))
    with pytest.raises(PrinterError):
        open_transport(server.url).send(build_job(make_ticket(), width_dots=512, compact=False))
    assert server.jobs == []


def test_spooler_retries_until_the_printer_is_back_and_prints_once(fake_printer):
    # Two failures (dropped mid-job, then stalled), then the printer prints.
    server = fake_printer(("close_after", 1000), "never_read", rcvbuf=4096)
    transport = open_transport(server.url)
    results = []
    spooler = Spooler(lambda job: transport.send(job.data, job.job_name),
                      lambda *r: results.append(r), retries=5, backoff=(0.01,))
    data = build_job(make_ticket(), width_dots=512, compact=False)
    try:
        assert spooler.submit(PrintJob("t-1", data))
        assert not spooler.submit(PrintJob("t-1", data))  # still pending: not queued again
        assert spooler.drain(timeout=10)
    finally:
        spooler.stop()
    assert [(job_id, ok, attempt) for job_id, ok, _, attempt in results] == [
        ("t-1", False, 1), ("t-1", False, 2), ("t-1", True, 3)]
    assert server.wait_for_jobs(1)
    time.sleep(0.1)  # a duplicate would arrive right behind the first job
    assert server.jobs == [data]


def test_status_with_empty_reply_is_unknown_not_ok(fake_printer):
    server = fake_printer(("status", b""))
    assert open_transport(server.url).status() == {"online": None, "paper": "unknown"}


@pytest.mark.parametrize("replies, expected", [
    (b"\x12\x12", {"online": True, "paper": "ok"}),
    (b"\x1a\x12", {"online": False, "paper": "ok"}),   # bit 3: offline (cover open...)
    (b"\x12\x1e", {"online": True, "paper": "low"}),   # bits 2-3: near end
    (b"\x12\x72", {"online": True, "paper": "out"}),   # bits 5-6: paper end
])
def test_status_decodes_dle_eot_replies(fake_printer, replies, expected):
    server = fake_printer(("status", replies))
    assert open_transport(server.url).status() == expected


def test_status_of_unreachable_printer_is_offline():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert open_transport(f"tcp://127.0.0.1:{port}?timeout=1").status() == {"online": False, "paper": "unknown"}


def test_preview_writes_bin_and_png(tmp_path):
    ticket = make_ticket()
    data = build_job(ticket, width_dots=512)
    transport = open_transport(f"preview://{tmp_path / 'printed'}")
    transport.send(data, job_name="A012-42")
    binary, picture = tmp_path / "printed" / "A012-42.bin", tmp_path / "printed" / "A012-42.png"
    assert binary.read_bytes() == data
    with Image.open(picture) as png:
        rendered = render_ticket(ticket, 512)
        assert png.width == 512
        # The PNG is decoded from the bytes; below the ticket is only the feed to the cutter.
        assert same_pixels(png.crop((0, 0, 512, rendered.height)), rendered)
    assert transport.status()["online"] is True


def test_preview_default_folder_and_safe_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    open_transport("preview:").send(build_job(make_ticket(), mode="text"), job_name="../../evil")
    assert sorted(p.name for p in (tmp_path / "instance" / "printed").iterdir()) == ["evil.bin", "evil.png"]


def test_file_transport_writes_the_bytes(tmp_path):
    target = tmp_path / "lp0"
    target.touch()
    open_transport(f"file://{target}").send(b"\x1b@hello")
    assert target.read_bytes() == b"\x1b@hello"
    with pytest.raises(PrinterOfflineError):
        open_transport(f"file://{tmp_path}/missing/lp0").send(b"x")


@pytest.mark.parametrize("url", [
    "", "printer", "ftp://host", "tcp://", "tcp://host:notaport", "tcp://host?timeout=soon",
    "tcp://host?timeout=0", "tcp://host?colour=red", "usb://xyz", "usb://04b8",
])
def test_bad_url_is_a_config_error(url):
    with pytest.raises(PrinterConfigError):
        open_transport(url)


def test_missing_optional_driver_names_the_extra():
    pytest.importorskip("escpos")
    try:
        open_transport("usb://04b8:0202")
    except PrinterConfigError as exc:  # pyusb/libusb not installed here
        assert "[usb]" in str(exc) and "libusb" in str(exc)
