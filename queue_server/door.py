"""Limits at the door of a serving process: gunicorn's gevent worker, bounded per address.

What one client may hold, whatever it sends (docs/serving.md, "Limits at the door"):

- ``QUEUE_CONNECTIONS_PER_ADDRESS`` (default 300) open connections from one address;
  the next one gets a short 429 and is closed before anything is parsed. Phones behind
  a carrier's NAT share one address, hence the generous default; 0 turns it off (behind
  nginx every connection comes from the proxy: limit there, docs/scale-out.md);
- ``QUEUE_HEADER_TIMEOUT_S`` (default 10) to send a request's headers (gunicorn's
  keep-alive wait wraps the header read);
- ``QUEUE_READ_TIMEOUT_S`` (default 60) of silence on an open connection, for bodies
  and for websockets (a healthy board answers Engine.IO's ping every 25 s);
- ``QUEUE_MAX_CONNECTIONS`` (default 10000) connections in one process.

Importing this module imports neither Flask nor the app: gunicorn's master loads the
worker class before the worker patches the standard library.
"""
import os
import resource
from collections import Counter

from gunicorn.workers.base_async import AsyncWorker
from gunicorn.workers.ggevent import GeventWorker


def _setting(name, default):
    return float(os.environ.get(f"QUEUE_{name}") or default)


def gunicorn_settings(host, port):
    """gunicorn's configuration for one ``queue-server run`` process (one worker:
    ``--workers N`` starts N processes on consecutive ports, ``queue_server.serving``)."""
    return {"bind": f"{host}:{port}", "workers": 1,
            "worker_class": "queue_server.door.Worker",
            "worker_connections": int(_setting("MAX_CONNECTIONS", 10000)),
            "keepalive": int(_setting("HEADER_TIMEOUT_S", 10)),
            "graceful_timeout": 5, "timeout": 60,
            "accesslog": None, "errorlog": "-",
            # gunicorn 25+ opens a control socket at one path per user by default
            # (~/.gunicorn/gunicorn.ctl): instances on one host would share and delete
            # each other's. Nothing here uses it.
            "control_socket_disable": True}


REFUSAL = (b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n"
           b"Connection: close\r\nRetry-After: 10\r\nContent-Length: %d\r\n\r\n%s")
REFUSAL_BODY = ('{"error": {"code": "too_many_connections", "message": '
                '"Too many open connections from this address. / Qu\\u00e1 nhi\\u1ec1u '
                'k\\u1ebft n\\u1ed1i t\\u1eeb \\u0111\\u1ecba ch\\u1ec9 n\\u00e0y."}}').encode()


class Worker(GeventWorker):
    """gunicorn's gevent worker, counting each address's open connections."""

    def init_process(self):
        self.per_address = Counter()
        self.address_limit = int(_setting("CONNECTIONS_PER_ADDRESS", 300))
        self.read_timeout = _setting("READ_TIMEOUT_S", 60)
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = min(hard, self.worker_connections + 1024)
        if soft < wanted:  # every board is a file descriptor
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        super().init_process()

    def handle(self, listener, client, addr):
        address = addr[0] if isinstance(addr, tuple) else str(addr)
        if self.address_limit and self.per_address[address] >= self.address_limit:
            try:
                client.sendall(REFUSAL % (len(REFUSAL_BODY), REFUSAL_BODY))
            except OSError:
                pass
            client.close()
            return
        self.per_address[address] += 1
        try:
            # Not GeventWorker.handle: it makes the socket block without a timeout.
            client.settimeout(self.read_timeout or None)
            AsyncWorker.handle(self, listener, client, addr)
        finally:
            self.per_address[address] -= 1
            if self.per_address[address] <= 0:
                del self.per_address[address]
