"""Printing from the app: the ticket is issued first, jobs retry, reprint, printer status."""
import socket
import threading

import pytest

from queue_server import create_app
from queue_server.models import PrintJob, Ticket

from ..conftest import _config_dict
from ..printer.fakes import FakePrinter, read_raster_job

CUT = b"\x1dV"


def make_app(db_url, tmp_path, printer_url, **extra):
    return create_app({**_config_dict(), "DATABASE_URL": db_url, "PRINTER": printer_url,
                       "PRINT_RETRIES": 2, "PRINT_BACKOFF": "0.2,0.4", **extra})


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LatePrinter(FakePrinter):
    """A FakePrinter bound to a given port (to come back where the app expects it)."""

    def __init__(self, port):
        self.behaviours, self.default, self.jobs, self.connections = [], "print", [], 0
        self.job_received, self._held = threading.Condition(), []
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(8)
        self.port, self.url = port, f"tcp://127.0.0.1:{port}?timeout=0.5"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()


@pytest.fixture
def printer_server():
    servers = []

    def start(*behaviours, port=None, **kwargs):
        server = LatePrinter(port) if port else FakePrinter(*behaviours, **kwargs)
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.close()


def issue(client, **extra):
    return client.post("/api/v1/tickets", json={"service": "A", "print": True, **extra})


def test_issue_prints_the_ticket_on_a_network_printer(db_url, tmp_path, printer_server):
    printer = printer_server()
    app = make_app(db_url, tmp_path, printer.url)
    client = app.test_client()
    response = issue(client)
    assert response.status_code == 201 and response.json["printed"] == "pending"
    assert printer.wait_for_jobs(1)
    job = printer.jobs[0]
    assert job.startswith(b"\x1b@") and b"\x1dv0" in job and CUT in job[-8:]
    assert read_raster_job(job, 512).size[0] == 512  # a whole raster ticket arrived
    assert app.extensions["printing"].drain()
    assert Ticket.get_by_id(response.json["id"]).print_status == "printed"


def test_refused_printer_keeps_the_ticket_then_reprint_when_back(db_url, tmp_path,
                                                                  printer_server, auth_header):
    port = free_port()  # nothing listens: connections are refused
    app = make_app(db_url, tmp_path, f"tcp://127.0.0.1:{port}?timeout=0.5")
    client = app.test_client()
    response = issue(client)
    assert response.status_code == 201  # the ticket counts whatever the printer does
    ticket_id = response.json["id"]
    assert app.extensions["printing"].drain(timeout=10)
    assert Ticket.get_by_id(ticket_id).print_status == "failed"
    job = PrintJob.get(PrintJob.ticket == ticket_id)
    assert (job.status, job.attempts) == ("failed", 3) and job.last_error
    supervisor = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/token", json={"username": "supervisor", "password": "demo"}).json["token"]}
    failed = client.get("/api/v1/print-jobs/failed", headers=supervisor).json
    assert [row["ticket_id"] for row in failed] == [ticket_id]
    status = client.get("/api/v1/printers", headers=supervisor).json
    assert status[0]["online"] is False and status[0]["failed"] == 1

    printer = printer_server(port=port)  # the printer is back
    clerk = {"Authorization": "Bearer " + client.post(
        "/api/v1/auth/token", json={"username": "clerk1", "password": "demo"}).json["token"]}
    again = client.post(f"/api/v1/tickets/{ticket_id}/reprint", headers=clerk)
    assert again.status_code == 202 and again.json["printed"] == "pending"
    assert printer.wait_for_jobs(1)
    assert app.extensions["printing"].drain()
    assert client.get(f"/api/v1/tickets/{ticket_id}", headers=clerk).json["printed"] is True
    assert len(printer.jobs) == 1  # printed once


def test_printer_coming_back_during_retries_prints_once(db_url, tmp_path, printer_server):
    port = free_port()
    app = make_app(db_url, tmp_path, f"tcp://127.0.0.1:{port}?timeout=0.5",
                   PRINT_BACKOFF="0.5,1")
    client = app.test_client()
    ticket_id = issue(client).json["id"]
    printer = printer_server(port=port)  # up before the first retry
    assert printer.wait_for_jobs(1, timeout=5)
    assert app.extensions["printing"].drain()
    assert Ticket.get_by_id(ticket_id).print_status == "printed"
    assert len(printer.jobs) == 1


def test_connection_dropped_mid_job_is_retried(db_url, tmp_path, printer_server):
    # A small receive window, like a real printer's: the kernel cannot swallow the job.
    printer = printer_server(("close_after", 200), rcvbuf=2048)
    app = make_app(db_url, tmp_path, printer.url)
    ticket_id = issue(app.test_client()).json["id"]
    assert printer.wait_for_jobs(1, timeout=5)
    assert app.extensions["printing"].drain()
    job = PrintJob.get(PrintJob.ticket == ticket_id)
    assert (job.status, job.attempts) == ("printed", 2)
    assert len(printer.jobs) == 1 and printer.connections == 2


def test_pending_jobs_are_sent_after_a_restart(db_url, tmp_path, printer_server):
    port = free_port()
    first = make_app(db_url, tmp_path, f"tcp://127.0.0.1:{port}?timeout=0.5",
                     PRINT_RETRIES=0, PRINT_BACKOFF="5")
    ticket_id = issue(first.test_client()).json["id"]
    first.extensions["printing"].stop()
    PrintJob.update(status="pending").execute()  # as if the server died mid-retry
    printer = printer_server(port=port)
    second = make_app(db_url, tmp_path, printer.url)
    assert printer.wait_for_jobs(1)
    assert second.extensions["printing"].drain()
    assert Ticket.get_by_id(ticket_id).print_status == "printed"


def test_preview_printer_writes_bytes_and_picture(db_url, tmp_path):
    app = make_app(db_url, tmp_path, f"preview://{tmp_path / 'printed'}")
    number = issue(app.test_client()).json["number"]
    assert app.extensions["printing"].drain()
    files = sorted(p.name for p in (tmp_path / "printed").iterdir())
    assert any(f.startswith(number) and f.endswith(".bin") for f in files)
    assert any(f.startswith(number) and f.endswith(".png") for f in files)


def test_unknown_printer_is_refused_before_issuing(client):
    response = issue(client, printer=999)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "unknown_printer"
    assert Ticket.select().count() == 0


def test_printer_status_needs_a_supervisor(client, auth_header):
    assert client.get("/api/v1/printers").status_code == 401
    assert client.get("/api/v1/printers", headers=auth_header("clerk1")).status_code == 403
    rows = client.get("/api/v1/printers", headers=auth_header("supervisor")).json
    assert rows[0]["name"] == "default" and rows[0]["paper"] == "unknown"
