"""The citizen's phone: cancel one's own waiting ticket, rate after service (one rating
per ticket, shared with the tablet), the final state and the "turn is near" setting."""
from queue_server.engine import calling, ratings, tickets
from queue_server.models import Counter, Rating, Ticket

from .helpers import take_ticket


def _counter(number):
    return Counter.get(Counter.number == number).id


def test_the_holder_cancels_a_waiting_ticket_from_the_page(client):
    token = take_ticket(client, "A")
    behind = take_ticket(client, "A")
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert "Huỷ số của tôi" in page and f'action="/t/{token}/cancel"' in page
    done = client.post(f"/t/{token}/cancel", follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Số này đã bị huỷ." in html
    assert Ticket.get(Ticket.token == token).status == "cancelled"
    # A final state: "you may close this page" shown, "keep this page open" hidden.
    assert "<div data-final-only>" in html and "<div data-live-only hidden>" in html
    assert "Quý khách có thể đóng trang này" in html
    behind_page = client.get(f"/t/{behind}").get_data(as_text=True)  # the next one moved up
    assert '<dd data-field="ahead">0</dd>' in behind_page
    again = client.post(f"/t/{token}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "Số này không thể huỷ được nữa." in again


def test_the_api_cancels_by_token_and_refuses_a_called_ticket(client):
    token = take_ticket(client, "A")
    other = take_ticket(client, "B")
    ok = client.post(f"/api/v1/track/{token}/cancel")
    assert ok.status_code == 200 and ok.json["status"] == "cancelled"
    calling.call_next(_counter(2))  # counter 2 serves B first
    refused = client.post(f"/api/v1/track/{other}/cancel")
    assert refused.status_code == 409 and refused.json["error"]["code"] == "not_cancellable"
    assert Ticket.get(Ticket.token == other).status == "called"
    assert client.post("/api/v1/track/nope/cancel").json["error"]["code"] == "unknown_ticket"


def test_the_phone_rates_once_and_the_tablet_then_has_nothing_to_rate(client):
    token = take_ticket(client, "A")
    ticket = calling.call_next(_counter(1))
    assert "<p data-rate-link hidden>" in client.get(f"/t/{token}").get_data(as_text=True)
    assert client.get(f"/t/{token}/rate").status_code == 302  # not served yet: no rating
    tickets.start(ticket.id)
    tickets.finish(ticket.id)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert f'href="/t/{token}/rate"' in page and "<p data-rate-link>" in page
    form = client.get(f"/t/{token}/rate").get_data(as_text=True)
    assert form.index('name="level"') < form.index("<textarea")
    client.post(f"/t/{token}/rate", data={"ticket_id": ticket.id, "level": "satisfied",
                                          "comment": "Nhanh"})
    rating = Rating.get()
    assert (rating.score, rating.comment, rating.counter_id) == (3, "Nhanh", _counter(1))
    assert ratings.pending(Counter.get_by_id(_counter(1))) is None  # the tablet: nothing left
    twice = client.post(f"/t/{token}/rate", data={"ticket_id": ticket.id, "level": "neutral"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Số này không thể đánh giá nữa." in twice
    assert Rating.select().count() == 1


def test_a_rating_at_the_tablet_closes_the_phone_rating(client):
    token = take_ticket(client, "A")
    ticket = calling.call_next(_counter(1))
    tickets.start(ticket.id)
    tickets.finish(ticket.id)
    ratings.rate(_counter(1), ticket.id, "very_satisfied")
    assert client.get(f"/t/{token}/rate").status_code == 302
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert "<p data-rate-link hidden>" in page


def test_the_near_threshold_is_configurable(app, client):
    token = take_ticket(client, "A")
    assert 'data-near="3"' in client.get(f"/t/{token}").get_data(as_text=True)
    app.config["TRACK_NEAR"] = 5
    assert 'data-near="5"' in client.get(f"/t/{token}").get_data(as_text=True)
