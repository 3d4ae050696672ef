"""Two server processes, one database, one Redis: a call made through one reaches every board.

Scale-out mode: several ``queue-server run`` processes behind nginx share the
database and pass Socket.IO events through Redis (``QUEUE_MESSAGE_QUEUE``). A
board connected to process 2 must hear a call made through process 1, and the
other way round. PostgreSQL is the real scale-out database; a shared SQLite
file is checked too since it is cheap.
"""
from tests.serving import ServerProcess

from .clients import UNLIMITED, Api, Board


def same_call(response):
    """Match the board's ticket_called to this call-next answer (not another run's call:
    Redis pub/sub channels are shared by every database number)."""
    ticket = response.json()["ticket"]
    return lambda call: (call["number"], call["called_at"], call["counter"]) == \
        (ticket["number"], ticket["called_at"], ticket["counter"])


def test_call_through_one_process_reaches_boards_on_both(tmp_path, server_db_url, redis_url):
    env = {**UNLIMITED, "QUEUE_MESSAGE_QUEUE": redis_url}
    (tmp_path / "p1").mkdir()
    (tmp_path / "p2").mkdir()
    # The first process migrates and seeds; the second starts on the ready database.
    first = ServerProcess(tmp_path / "p1", db_url=server_db_url, env=env).start()
    second = ServerProcess(tmp_path / "p2", db_url=server_db_url, env=env, demo=False)
    boards = []
    try:
        second.start()
        boards = [Board(first.url), Board(second.url)]
        for board in boards:
            board.wait_for("snapshot")
        kiosk = Api(second.url)
        for code in "AAB":
            assert kiosk.issue(code).status_code == 201
        for server, counter, user in ((first, 1, "clerk1"), (second, 2, "clerk2")):
            clerk = Api(server.url, user)
            response = clerk.call_next(counter)
            assert response.status_code == 200, response.text
            for board in boards:  # the board on the other process hears it too
                board.wait_for("ticket_called", same_call(response), timeout=10)
        # Process 2 sees what process 1 wrote: counter 1 still holds its call.
        response = Api(second.url, "clerk1").call_next(1)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "counter_busy"
    finally:
        for board in boards:
            board.close()
        second.kill()
        first.kill()


def test_run_with_two_workers_serves_two_ports_joined_by_redis(tmp_path, redis_url):
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request

    from tests.serving import free_port

    port = free_port()
    while True:  # two free ports in a row
        try:
            import socket

            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 1))
            break
        except OSError:
            port = free_port()
    env = {**os.environ, **UNLIMITED, "QUEUE_SECRET_KEY": "test-secret-key",
           "QUEUE_MESSAGE_QUEUE": redis_url, "QUEUE_SOCKETIO_CHANNEL": f"w2-{port}",
           "QUEUE_DATABASE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
           "QUEUE_INSTANCE": str(tmp_path / "instance")}
    parent = subprocess.Popen([sys.executable, "-m", "queue_server.cli", "run", "--demo",
                               "--workers", "2", "--port", str(port)], cwd=tmp_path, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    board = None
    try:
        bases = [f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port + 1}"]
        deadline = time.monotonic() + 40
        for base in bases:
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=1).read()
                    break
                except OSError:
                    assert time.monotonic() < deadline and parent.poll() is None
                    time.sleep(0.2)
        board = Board(bases[1])
        board.wait_for("snapshot")
        assert Api(bases[0]).issue("A").status_code == 201
        response = Api(bases[0], "clerk1").call_next(1)
        assert response.status_code == 200, response.text
        board.wait_for("ticket_called", same_call(response), timeout=10)
    finally:
        if board is not None:
            board.close()
        parent.send_signal(signal.SIGTERM)
        try:
            parent.wait(timeout=20)
        finally:
            if parent.poll() is None:
                os.killpg(parent.pid, signal.SIGKILL)
