"""A real nginx in front of server processes, configured from docs/scale-out.md itself.

The ```nginx block of step 5 of docs/scale-out.md is the template: the test fills in
the upstream ports, the listen address and the certificate, and wraps it in the few
lines a throw-away nginx needs (``daemon off``, one process, pid, logs and every
``*_temp_path`` in a temp folder). So what the docs tell an operator is what runs here.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import textwrap
import time
from pathlib import Path

from tests.serving import free_port
from tests.services import unavailable

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scale-out.md"
#: Debian's package; scripts/test installs it (``apt-get install -y nginx``).
NGINX_PACKAGE = "nginx"
#: The upstream addresses and TLS lines as the docs write them.
DOCS_UPSTREAMS = ("server 127.0.0.1:5001;", "server 127.0.0.1:5002;")
DOCS_LISTEN = "listen 443 ssl;"

WRAPPER = """\
# A test's own nginx: in the foreground, one process, everything under {prefix}.
daemon off;
master_process off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log info;
events {{
    worker_connections 256;
}}
http {{
    log_format upstream '$request_method $uri $status upstream=$upstream_addr';
    access_log {prefix}/access.log upstream;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;

    # ---- docs/scale-out.md, step 5 ----
{docs}
    # ---- end of docs/scale-out.md ----
}}
"""


def binary():
    """nginx's path, or skip (fail in CI) with what to install."""
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                      else None)
    if not path:
        unavailable(f"nginx is not installed (Debian: apt-get install -y {NGINX_PACKAGE})")
    return path


def docs_block(path=DOCS):
    """The one ```nginx block of docs/scale-out.md."""
    blocks = re.findall(r"^[ \t]*```nginx[ \t]*\n(.*?)^[ \t]*```", path.read_text("utf-8"),
                        re.S | re.M)
    assert len(blocks) == 1, f"expected one ```nginx block in {path}, found {len(blocks)}"
    return blocks[0]


def _replace_once(text, old, new, what):
    assert text.count(old) == 1, (f"docs/scale-out.md's nginx block should contain "
                                  f"{old!r} exactly once ({what}); the test fills it in")
    return text.replace(old, new)


def render(docs, upstream_ports, listen_port, cert, key, prefix):
    """The docs' block with this test's ports, address and certificate, wrapped."""
    for old, port in zip(DOCS_UPSTREAMS, upstream_ports, strict=True):
        docs = _replace_once(docs, old, f"server 127.0.0.1:{port};", "an upstream server")
    docs = _replace_once(docs, DOCS_LISTEN, f"listen 127.0.0.1:{listen_port} ssl;",
                         "the listen line")
    for directive, value in (("ssl_certificate", cert), ("ssl_certificate_key", key)):
        docs, count = re.subn(rf"^(\s*){directive}\s+[^;\s]+;", rf"\g<1>{directive} {value};",
                              docs, flags=re.M)
        assert count == 1, f"docs/scale-out.md's nginx block needs one {directive} line"
    indented = textwrap.indent(textwrap.dedent(docs), "    ")
    return WRAPPER.format(prefix=prefix, docs=indented)


def self_signed(folder):
    """A certificate for 127.0.0.1 (and its key), made with the openssl command."""
    cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    if not shutil.which("openssl"):
        unavailable("the openssl command is missing (Debian: apt-get install -y openssl)")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=30)
    return cert, key


class Nginx:
    """nginx in the foreground on 127.0.0.1:<free port>, before ``upstream_ports``."""

    def __init__(self, folder, upstream_ports):
        self.prefix = Path(folder)
        self.prefix.mkdir(parents=True, exist_ok=True)
        self.port, self.proc, self.binary = free_port(), None, binary()
        self.cert, self.key = self_signed(self.prefix)
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(render(docs_block(), upstream_ports, self.port, self.cert,
                                    self.key, self.prefix), "utf-8")

    @property
    def url(self):
        return f"https://127.0.0.1:{self.port}"

    def _command(self, *extra):
        return [self.binary, "-p", str(self.prefix), "-c", str(self.conf), *extra]

    def start(self, timeout=10):
        check = subprocess.run(self._command("-t"), capture_output=True, text=True,
                               timeout=timeout)
        assert check.returncode == 0, f"nginx -t refused the docs' config:\n{check.stderr}"
        with open(self.prefix / "stderr.log", "wb") as stderr:
            self.proc = subprocess.Popen(self._command(), stdout=subprocess.DEVNULL,
                                         stderr=stderr, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.logs()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"nginx did not listen in {timeout}s:\n{self.logs()}")

    def stop(self):
        """Stop nginx and anything it started (its process group)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # fast shutdown
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def access(self):
        """The access log's lines: ``METHOD URI STATUS upstream=ADDR``."""
        path = self.prefix / "access.log"
        return path.read_text("utf-8", "replace").splitlines() if path.exists() else []

    def logged(self, part, timeout=5):
        """The access log's lines holding ``part``, once there is one (nginx logs a
        request just after its answer, a websocket when it closes: wait for it)."""
        deadline = time.monotonic() + timeout
        while True:
            lines = [line for line in self.access() if part in line]
            if lines or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def upstream_of(self, uri_part, timeout=5):
        """The ``$upstream_addr`` of the one logged request whose URI holds ``uri_part``."""
        lines = self.logged(uri_part, timeout)
        assert len(lines) == 1, (uri_part, self.access())
        return lines[0].rsplit("upstream=", 1)[1]

    def logs(self):
        parts = []
        for name in ("stderr.log", "error.log", "access.log"):
            path = self.prefix / name
            if path.exists():
                text = path.read_text("utf-8", "replace")[-6000:]
                parts.append(f"--- nginx {name} ---\n{text}")
        return "\n".join(parts)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
