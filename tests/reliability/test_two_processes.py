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
