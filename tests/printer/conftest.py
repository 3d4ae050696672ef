"""Fixtures for the printer tests (no Flask: the printer package takes plain values)."""
import pytest

from tests.printer.fakes import FakePrinter


@pytest.fixture
def fake_printer():
    """Start FakePrinter(*behaviours, **kw) servers; all are closed after the test."""
    servers = []

    def start(*behaviours, **kwargs):
        server = FakePrinter(*behaviours, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()
