"""Starting a real ``queue-server run`` process for tests that need one."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``queue-server run`` in a child process, on a given database and port."""

    def __init__(self, workdir, db_url=None, port=None, demo=True, env=None):
        self.workdir, self.port = str(workdir), port or free_port()
        self.env = {**os.environ, "QUEUE_SECRET_KEY": "test-secret-key",
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

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
