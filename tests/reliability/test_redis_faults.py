"""A flaky Redis: two processes joined by a Redis of the test's own, killed or SIGSTOPped.

While Redis is away or hung every issue and call answers within a second and never
500s, /healthz says ``degraded``; once it is back, every board on both processes shows
every call made meanwhile within 10 s.
"""
import shutil
import time

import pytest

from tests.serving import ServerProcess

from .clients import UNLIMITED, Api
from .screens import ConvergingBoard, OwnRedis

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None,
                                reason="redis-server is not installed")


@pytest.fixture
def cluster(tmp_path):
    redis = OwnRedis(tmp_path).start()
    env = {**UNLIMITED, "QUEUE_MESSAGE_QUEUE": redis.url + "/0",
           "QUEUE_RATELIMIT_STORAGE_URI": redis.url + "/1"}
    db_url = f"sqlite:///{tmp_path / 'queue.db'}"
    (tmp_path / "p1").mkdir()
    (tmp_path / "p2").mkdir()
    first = ServerProcess(tmp_path / "p1", db_url=db_url, env=env).start()
    second = ServerProcess(tmp_path / "p2", db_url=db_url, env=env, demo=False).start()
    boards = [ConvergingBoard(server.url) for server in (first, second, first, second)]
    try:
        yield redis, (first, second), boards
    finally:
        for board in boards:
            board.close()
        second.kill()
        first.kill()
        redis.resume() if redis.proc.poll() is None else None
        redis.kill()


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def issue_and_call(servers, rounds):
    """Issue and call ``rounds`` times, alternating processes; each answer timed."""
    numbers, slowest = [], 0.0
    for i in range(rounds):
        server = servers[i % 2]
        kiosk, clerk = Api(server.url, timeout=5), Api(server.url, f"clerk{1 + i % 2}", timeout=5)
        issued, took = timed(lambda: kiosk.issue("A"))
        assert issued.status_code == 201, issued.text
        slowest = max(slowest, took)
        called, took = timed(lambda: clerk.call_next(1 + i % 2))
        assert called.status_code == 200, called.text
        slowest = max(slowest, took)
        ticket = called.json()["ticket"]
        numbers.append(ticket["number"])
        finished, took = timed(lambda: clerk.act(ticket["id"], "no-show"))
        assert finished.status_code == 200, finished.text
        slowest = max(slowest, took)
        kiosk.close()
        clerk.close()
    return numbers, slowest


def health(server):
    import requests

    return requests.get(server.url + "/healthz", timeout=5).json()


def test_redis_killed_then_back(cluster):
    redis, servers, boards = cluster
    before, _ = issue_and_call(servers, 2)
    assert all(board.shows_all(before, 10) for board in boards)
    redis.kill()
    during, slowest = issue_and_call(servers, 6)
    assert slowest < 1.0
    assert all(health(server)["status"] == "degraded" for server in servers)
    redis.start()
    assert all(board.shows_all(before + during, 10) for board in boards), \
        [sorted(set(before + during) - board.shown) for board in boards]
    after, _ = issue_and_call(servers, 2)
    assert all(board.shows_all(after, 10) for board in boards)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(health(s)["status"] != "ok" for s in servers):
        time.sleep(0.2)
    assert [health(s)["status"] for s in servers] == ["ok", "ok"]


def test_redis_hung_then_back(cluster):
    redis, servers, boards = cluster
    redis.pause()
    hung_at = time.monotonic()
    during, slowest = issue_and_call(servers, 4)
    assert slowest < 1.0
    time.sleep(max(0.0, 12 - (time.monotonic() - hung_at)))  # hung 12 s in all
    redis.resume()
    assert all(board.shows_all(during, 10) for board in boards), \
        [sorted(set(during) - board.shown) for board in boards]
