"""A real server process for browser tests: ``queue-server run --demo`` on a free port.

It can be killed and started again on the same port and database, as a crash
and a restart would.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.error import URLError

START_TIMEOUT_S = 30


def free_port():
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """``queue-server run --demo`` in a subprocess, on SQLite in ``folder``."""

    def __init__(self, folder, port=None, threads=100):
        self.folder = folder
        self.port = port or free_port()
        self.threads = threads
        self.process = None
        self.log_path = os.path.join(folder, "server.log")

    def url(self, path=""):
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        """Start the process and wait (bounded) until it answers /healthz."""
        env = {**os.environ, "QUEUE_DATABASE_URL": f"sqlite:///{self.folder}/live.db",
               "QUEUE_SECRET_KEY": "live-test-secret",
               "QUEUE_INSTANCE": os.path.join(self.folder, "instance")}
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "queue_server.cli", "run", "--demo", "--host", "127.0.0.1",
             "--port", str(self.port), "--threads", str(self.threads)],
            env=env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)  # its own process group: gunicorn's worker dies with it
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=1) as response:
                    if response.status == 200:
                        return self
            except (URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)  # nothing to await: the port is not listening yet
        self.stop()
        raise RuntimeError(f"the server did not answer within {START_TIMEOUT_S} s")

    def kill(self):
        """End the server (gunicorn's master and worker) at once, like a crash."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        """End the process politely (then firmly)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(self, method, path, body=None, token=None):
        """A JSON API call; returns (status, parsed body or None)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url("/api/v1" + path), data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def token(self, username="clerk1", password="demo"):
        status, body = self.api("POST", "/auth/token", {"username": username, "password": password})
        assert status == 200, body
        return body["token"]
