"""docs/scale-out.md's nginx, for real, in front of two server processes joined by Redis.

nginx runs the ```nginx block of docs/scale-out.md (tests/reliability/nginx.py fills in
the ports, the listen address and a self-signed certificate), so the docs cannot drift
from what is tested. The servers run as the docs deploy them: PostgreSQL, Redis as the
message queue, ``QUEUE_PROXY_FIX=1``.

- A browser-style board (python-socketio, polling first, then the upgrade to a
  websocket, with the page's ``Origin``) connects through nginx over TLS, gets its
  snapshot and ends up on the websocket: the polling requests reach the process that
  holds the session (``ip_hash``), the upgrade headers pass, the origin check passes.
- ``ip_hash`` sends all of 127.0.0.1 to one process, so a board connects directly to
  each process and one through nginx; calls are made through nginx and directly to the
  other process, and every board hears every call, in both directions.
"""
import queue
import threading
import time
import uuid

import requests
import socketio

from tests.serving import ServerProcess

from .clients import DISPLAY_NS, PASSWORD, UNLIMITED, Api, Board
from .nginx import Nginx


class TlsApi(Api):
    """``Api`` over https, trusting the test's own certificate."""

    def __init__(self, base, cafile, username=None, timeout=10):
        self.base, self.timeout, self.http = base, timeout, requests.Session()
        self.http.trust_env = False  # else REQUESTS_CA_BUNDLE overrides ``verify``
        self.http.verify = str(cafile)
        if username:
            response = self.post("/api/v1/auth/token",
                                 json={"username": username, "password": PASSWORD})
            response.raise_for_status()
            self.http.headers["Authorization"] = "Bearer " + response.json()["token"]


class BrowserBoard(Board):
    """A board as a browser runs it: polling first, then upgrading to a websocket,
    sending its page's ``Origin``; no reconnection, so a refusal shows."""

    def __init__(self, base, cafile, office=1):
        self.events, self.seen, self._lock = queue.Queue(), [], threading.Lock()
        session = requests.Session()
        session.trust_env = False  # else REQUESTS_CA_BUNDLE overrides ``verify``
        session.verify = str(cafile)
        # websocket-client adds an Origin of its own beside ours: one, as a browser sends.
        self.client = socketio.Client(reconnection=False, http_session=session,
                                      websocket_extra_options={"suppress_origin": True})
        for name in ("snapshot", "ticket_called"):
            self.client.on(name, self._recorder(name), namespace=DISPLAY_NS)
        self.client.connect(base, namespaces=[DISPLAY_NS], auth={"office": office},
                            transports=["polling", "websocket"], headers={"Origin": base},
                            wait_timeout=10)

    def wait_for_websocket(self, timeout=10):
        deadline = time.monotonic() + timeout
        while self.client.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.client.transport()


def same_call(response):
    """This call-next's ``ticket_called`` (Redis channels are shared by test runs)."""
    ticket = response.json()["ticket"]
    return lambda call: (call["number"], call["called_at"], call["counter"]) == \
        (ticket["number"], ticket["called_at"], ticket["counter"])


class Cluster:
    """Two ``queue-server run`` processes on one database and one Redis, nginx before them."""

    def __init__(self, tmp_path, db_url, redis_url):
        # As docs/scale-out.md deploys them behind nginx; a channel of their own.
        env = {**UNLIMITED, "QUEUE_MESSAGE_QUEUE": redis_url, "QUEUE_PROXY_FIX": "1",
               "QUEUE_CONNECTIONS_PER_ADDRESS": "0",
               "QUEUE_SOCKETIO_CHANNEL": f"queue-nginx-{uuid.uuid4().hex[:8]}"}
        for name in ("p1", "p2"):
            (tmp_path / name).mkdir()
        # The first process migrates and seeds; the second starts on the ready database.
        self.first = ServerProcess(tmp_path / "p1", db_url=db_url, env=env)
        self.second = ServerProcess(tmp_path / "p2", db_url=db_url, env=env, demo=False)
        self.nginx = Nginx(tmp_path / "nginx", (self.first.port, self.second.port))
        self.closing = []

    def __enter__(self):
        try:
            self.first.start()
            self.second.start()
            self.nginx.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def by_port(self, upstream):
        """The server process at ``127.0.0.1:PORT`` (an nginx ``$upstream_addr``)."""
        return {f"127.0.0.1:{s.port}": s for s in (self.first, self.second)}[upstream]

    def logs(self):
        return "\n".join([self.nginx.logs(), "--- p1 ---", self.first.output()[-4000:],
                          "--- p2 ---", self.second.output()[-4000:]])

    def __exit__(self, *exc):
        for thing in reversed(self.closing):
            try:
                thing.close()
            except Exception:  # noqa: BLE001 - a board that already failed
                pass
        try:
            self.nginx.stop()
        finally:
            self.second.kill()
            self.first.kill()


def test_board_through_nginx_polls_then_upgrades_to_websocket(tmp_path, postgres_url,
                                                               redis_url):
    with Cluster(tmp_path, postgres_url, redis_url) as cluster:
        try:
            board = BrowserBoard(cluster.nginx.url, cluster.nginx.cert)
            cluster.closing.append(board)
            assert board.client.connected
            assert DISPLAY_NS in board.client.namespaces
            board.wait_for("snapshot", timeout=10)
            assert board.wait_for_websocket() == "websocket"
            # The upgraded socket still carries events.
            kiosk = TlsApi(cluster.nginx.url, cluster.nginx.cert)
            cluster.closing.append(kiosk)
            assert kiosk.issue("A").status_code == 201
            clerk = TlsApi(cluster.nginx.url, cluster.nginx.cert, "clerk1")
            cluster.closing.append(clerk)
            response = clerk.call_next(1)
            assert response.status_code == 200, response.text
            board.wait_for("ticket_called", same_call(response), timeout=10)
            assert board.client.transport() == "websocket"
            # nginx saw the polling handshake (200), then the upgrade (101, logged when
            # the websocket closes), each at the same process (ip_hash).
            board.close()
            assert cluster.nginx.logged("GET /socket.io/ 101 "), cluster.nginx.access()
            sessions = [line for line in cluster.nginx.access() if "/socket.io/" in line]
            assert sessions[0].startswith("GET /socket.io/ 200 "), sessions
            assert len({line.rsplit("upstream=", 1)[1] for line in sessions}) == 1, sessions
        except BaseException:
            print(cluster.logs())
            raise


def test_calls_reach_boards_on_both_processes_through_nginx(tmp_path, postgres_url,
                                                            redis_url):
    with Cluster(tmp_path, postgres_url, redis_url) as cluster:
        try:
            first, second, ca = cluster.first, cluster.second, cluster.nginx.cert
            boards = {}
            for name, make in (("direct to p1", lambda: Board(first.url)),
                               ("direct to p2", lambda: Board(second.url)),
                               ("through nginx", lambda: BrowserBoard(cluster.nginx.url, ca))):
                boards[name] = make()
                cluster.closing.append(boards[name])
            for board in boards.values():
                board.wait_for("snapshot", timeout=10)
            kiosk = TlsApi(cluster.nginx.url, ca)
            cluster.closing.append(kiosk)
            for code in "AABB":
                assert kiosk.issue(code).status_code == 201
            # A call through nginx: which process served it?
            clerk = TlsApi(cluster.nginx.url, ca, "clerk1")
            cluster.closing.append(clerk)
            calls = [("through nginx", clerk.call_next(1))]
            near = cluster.by_port(cluster.nginx.upstream_of("/call-next"))
            far = second if near is first else first
            # And a call made directly at the other process, the one nginx did not pick.
            direct = Api(far.url, "clerk2")
            cluster.closing.append(direct)
            calls.append((f"direct to p{1 if far is first else 2}", direct.call_next(2)))
            for made, response in calls:
                assert response.status_code == 200, (made, response.text)
                for name, board in boards.items():
                    try:
                        board.wait_for("ticket_called", same_call(response), timeout=10)
                    except AssertionError as exc:
                        raise AssertionError(f"call {made} not heard by the board {name}: "
                                             f"{exc}") from None
            assert boards["through nginx"].client.transport() == "websocket"
        except BaseException:
            print(cluster.logs())
            raise
