"""Starting a real ``queue-server run`` process for tests that need one."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``queue-server run`` in a child process, on a given database and port."""

    def __init__(self, workdir, db_url=None, port=None, demo=True, env=None):
        self.workdir, self.port = str(workdir), port or free_port()
        # The demo office always open ("" hours), as the test suite has it: a benchmark
        # run at 22:00 local measured 2,400 refusals (bench/ starts servers from here).
        self.env = {**os.environ, "QUEUE_DEMO_HOURS": os.environ.get("QUEUE_DEMO_HOURS", ""),
                    "QUEUE_SECRET_KEY": "test-secret-key",
                    "QUEUE_INSTANCE": os.path.join(self.workdir, "instance"), **(env or {})}
        if db_url:
            self.env["QUEUE_DATABASE_URL"] = db_url
        self.demo, self.proc, self.log = demo, None, os.path.join(self.workdir, "server.log")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30):
        args = [sys.executable, "-m", "queue_server.cli", "run", "--port", str(self.port)]
        if self.demo:
            args.append("--demo")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(args, cwd=self.workdir, env=self.env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not answer in {timeout}s:\n{self.output()}")

    def output(self):
        with open(self.log, encoding="utf-8", errors="replace") as log:
            return log.read()

    def kill(self, sig=signal.SIGKILL):
        """Kill the whole process group (gunicorn's worker included)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=15)

    def stop(self):
        self.kill(signal.SIGTERM)

    def api(self, method, path, body=None, token=None):
        """A JSON call to /api/v1; returns (status, parsed body or None)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/api/v1" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def token(self, username="clerk1", password="demo"):
        """A bearer token for a demo account."""
        status, body = self.api("POST", "/auth/token", {"username": username, "password": password})
        assert status == 200, body
        return body["token"]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
