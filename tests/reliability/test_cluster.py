"""Several processes share throttles and dashboard marks through Redis (``queue_server.cluster``)."""
import threading
import time

from queue_server import cluster, supervisor_sockets
from queue_server.cluster import Cluster
from queue_server.throttle import Throttle


def test_a_throttle_interval_holds_for_all_processes(app, redis_url):
    # Two Throttles on one Redis stand for the same throttle in two processes.
    sent, done = [], threading.Event()

    def send(key):
        sent.append((key, time.monotonic()))
        if len(sent) == 2:
            done.set()
    shared = Cluster(redis_url, "test-cluster")
    first, second = (Throttle(send, 0.3, cluster=shared, name="counts") for _ in range(2))
    first(1)           # goes out at once and claims office 1 for 0.3 s
    second(1)          # another process's change within it: it follows, not at once
    second(1)
    assert [key for key, _ in sent] == [1]
    assert done.wait(3)
    assert [key for key, _ in sent] == [1, 1]  # the later change is never dropped
    assert sent[1][1] - sent[0][1] >= 0.25
    time.sleep(0.5)
    assert len(sent) == 2


def test_dashboards_are_computed_only_for_offices_someone_watches(app, office, redis_url,
                                                                  monkeypatch):
    computed = []
    monkeypatch.setitem(app.config, "MESSAGE_QUEUE", redis_url)
    monkeypatch.setitem(app.config, "SUPERVISOR_THROTTLE_S", 0)
    monkeypatch.setattr(supervisor_sockets, "_cluster", cluster.for_app(app))
    monkeypatch.setattr(supervisor_sockets._dashboard, "send", computed.append)
    supervisor_sockets.changed(office.id)
    assert computed == []  # no dashboard open anywhere
    # A dashboard connected to another process marks its office.
    Cluster(redis_url, app.config["SOCKETIO_CHANNEL"]).mark(f"supervised:{office.id}", 5)
    supervisor_sockets.changed(office.id)
    assert computed == [office.id]


def test_phone_updates_are_built_only_where_a_phone_follows_them(app, office, redis_url,
                                                             monkeypatch):
    from datetime import date

    from socketio import PubSubManager

    from queue_server import events, socketio

    monkeypatch.setattr(events, "_cluster", Cluster(redis_url, "test-lines"))
    monkeypatch.setattr(socketio.server, "manager", PubSubManager(channel="test-lines"))
    followed, other = events.line_room(1, date(2026, 3, 2)), events.line_room(2, date(2026, 3, 2))
    events.follow_line(1, date(2026, 3, 2))  # a phone on any process follows service 1
    assert events._may_listen(followed, events.TRACK_NS)
    assert not events._may_listen(other, events.TRACK_NS)
    events.follow_ticket("token-1")  # and the ticket it holds
    assert events._may_listen(events.track_room("token-1"), events.TRACK_NS)
    assert not events._may_listen(events.track_room("token-2"), events.TRACK_NS)
