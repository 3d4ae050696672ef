"""The rating tablet is a device bound to its counter by the office's display key.

Before, in an office with keys, anyone's ``GET /rate/<counter>`` showed the ticket just
finished there and anyone's POST stored its rating; the citizen's own rating at the
counter's tablet was then refused as "already rated".
"""
from queue_server.engine import tickets
from queue_server.models import Office, Rating

from ..factories import demo_counter

KEY = "tablet-key-1"


def finished_at(client, auth_header, office, counter_number, clerk="clerk1"):
    """Issue, call, start and finish one ticket at a counter; (ticket id, number)."""
    ticket = tickets.issue(office, "A")
    headers = auth_header(clerk)
    called = client.post(f"/api/v1/counters/{demo_counter(counter_number).id}/call-next",
                         headers=headers)
    assert called.status_code == 200 and called.json["ticket"]["number"] == ticket.number
    for action in ("start", "finish"):
        assert client.post(f"/api/v1/tickets/{ticket.id}/{action}",
                           headers=headers).status_code == 200
    return ticket.id, ticket.number


def test_a_stranger_neither_sees_nor_rates_the_finished_ticket(app, client, auth_header,
                                                                office):
    Office.update(display_key=KEY).where(Office.id == office.id).execute()
    ticket_id, number = finished_at(client, auth_header, office, 1)
    desk = demo_counter(1).id
    stranger = app.test_client()
    seen = stranger.get(f"/rate/{desk}")
    assert seen.status_code == 403 and number not in seen.get_data(as_text=True)
    assert stranger.get(f"/rate/{desk}?key=guess").status_code == 403
    posted = stranger.post(f"/rate/{desk}", data={"ticket_id": ticket_id,
                                                  "level": "dissatisfied"})
    assert posted.status_code == 403 and Rating.select().count() == 0

    # The counter's own tablet, opened once with the key, still shows it and rates it.
    tablet = app.test_client()
    page = tablet.get(f"/rate/{desk}?key={KEY}")
    assert page.status_code == 200 and number in page.get_data(as_text=True)
    assert number in tablet.get(f"/rate/{desk}").get_data(as_text=True)  # its idle refresh
    rated = tablet.post(f"/rate/{desk}", data={"ticket_id": ticket_id,
                                               "level": "very_satisfied"})
    assert rated.status_code == 302 and rated.location.endswith(f"/rate/{desk}/thanks")
    assert tablet.get(f"/rate/{desk}/thanks").status_code == 200
    assert [(r.ticket_id, r.score) for r in Rating.select()] == [(ticket_id, 4)]


def test_a_tablet_rates_only_at_its_own_counter(app, client, auth_header, office):
    Office.update(display_key=KEY).where(Office.id == office.id).execute()
    ticket_id, number = finished_at(client, auth_header, office, 1)
    other = app.test_client()  # the tablet of counter 2
    assert other.get(f"/rate/{demo_counter(2).id}?key={KEY}").status_code == 200
    desk = demo_counter(1).id
    assert other.get(f"/rate/{desk}").status_code == 403
    assert other.post(f"/rate/{desk}", data={"ticket_id": ticket_id,
                                             "level": "dissatisfied"}).status_code == 403
    # Counter 2's tablet cannot rate counter 1's ticket at its own counter either.
    other.post(f"/rate/{demo_counter(2).id}", data={"ticket_id": ticket_id,
                                                   "level": "dissatisfied"})
    assert Rating.select().count() == 0


def test_an_office_without_keys_keeps_its_open_tablet(client, auth_header, office):
    ticket_id, number = finished_at(client, auth_header, office, 1)
    desk = demo_counter(1).id
    assert number in client.get(f"/rate/{desk}").get_data(as_text=True)
    assert client.post(f"/rate/{desk}", data={"ticket_id": ticket_id,
                                              "level": "satisfied"}).status_code == 302
    assert Rating.select().count() == 1


def test_the_refusal_speaks_the_offices_language(app, office):
    Office.update(display_key=KEY).where(Office.id == office.id).execute()
    page = app.test_client().get(f"/rate/{demo_counter(1).id}").get_data(as_text=True)
    assert "khoá màn hình hiển thị" in page
