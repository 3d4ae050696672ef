"""The clerk's console and the supervisor's pages of issue 16, through the test client."""
import re

from queue_server.engine import calling, counters, ratings, tickets
from queue_server.models import Counter, Ticket

from ..factories import demo_counter, demo_user
from .helpers import sign_in, take_ticket


def page(client, path="/counter?lang=en"):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_console_lists_who_waits_and_calls_a_chosen_number(client, office):
    first = tickets.issue(office, "A")
    elder = tickets.issue(office, "B", priority=True)
    tickets.issue(office, "C")  # not counter 1's
    sign_in(client, "clerk1", counter=1)
    html = page(client)
    rows = re.findall(r'<tr data-ticket="([A-Z]\d+)"', html)
    assert rows == [elder.number, first.number]
    assert "Priority" in html.split(f'data-ticket="{elder.number}"')[1].split("</tr>")[0]
    client.post("/counter/call", data={"ticket_id": first.id})
    html = page(client)
    assert f'data-current="{first.number}"' in html
    assert "Called – waiting for the citizen" in html and "Being served" not in html
    assert re.search(r'data-key="F" aria-keyshortcuts="F">', html)  # finish without Start
    client.post("/counter/start", data={"ticket_id": first.id})
    assert "Being served" in page(client)


def test_finish_and_call_next_then_no_show_undone_from_the_console(client, office):
    a, b = tickets.issue(office, "A"), tickets.issue(office, "A")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    client.post("/counter/finish-next", data={"ticket_id": a.id})
    assert Ticket.get_by_id(a.id).status == "done"
    assert f'data-current="{b.number}"' in page(client)
    client.post("/counter/no-show", data={"ticket_id": b.id})
    html = page(client)
    assert f'data-undo="{b.number}"' in html and "Undo no-show" in html
    done = client.post("/counter/undo-no-show", data={"ticket_id": b.id}, follow_redirects=True)
    assert "is back in line" in done.get_data(as_text=True)
    assert Ticket.get_by_id(b.id).status == "waiting"


def test_cancel_reprint_and_note(client, office):
    sign_in(client, "clerk1", counter=1)
    token = take_ticket(client, "A")
    waiting = Ticket.get(Ticket.token == token)
    other = tickets.issue(office, "A")
    html = client.post("/counter/reprint", data={"ticket_id": waiting.id},
                       follow_redirects=True).get_data(as_text=True)
    assert "gửi in lại" in html
    client.post("/counter/cancel", data={"ticket_id": other.id})
    assert Ticket.get_by_id(other.id).status == "cancelled"
    client.post("/counter/call-next")
    client.post("/counter/note", data={"ticket_id": waiting.id, "note": "Thiếu tờ khai"})
    assert 'value="Thiếu tờ khai"' in page(client)


def test_signing_out_with_a_ticket_asks_what_becomes_of_it(client, office):
    ticket = tickets.issue(office, "A")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    asked = client.post("/logout")
    assert asked.status_code == 302 and "/counter/leave?then=logout" in asked.location
    html = page(client, asked.location + "&lang=en")
    assert "still has ticket " + ticket.number in html
    assert 'value="finish"' in html and 'value="no_show"' in html and 'value="release"' in html
    assert Counter.get_by_id(demo_counter(1).id).clerk_id is not None  # nothing yet
    # Leaving without a choice asks again; with one, it settles and signs out.
    assert "/counter/leave" in client.post("/counter/leave", data={"then": "logout"}).location
    out = client.post("/counter/leave", data={"then": "logout", "ticket": "release"})
    assert out.status_code == 302 and out.location.endswith("/login")
    assert Ticket.get_by_id(ticket.id).status == "waiting"
    assert Counter.get_by_id(demo_counter(1).id).clerk_id is None
    assert client.get("/counter").status_code == 302  # signed out


def test_changing_counter_with_a_ticket_asks_too(client, office):
    ticket = tickets.issue(office, "A")
    sign_in(client, "clerk1", counter=1)
    client.post("/counter/call-next")
    assert "then=choose" in client.post("/counter/leave", data={"then": "choose"}).location
    client.post("/counter/leave", data={"then": "choose", "ticket": "finish"})
    assert Ticket.get_by_id(ticket.id).status == "done"
    assert "Choose your counter" in page(client)


def test_a_supervisor_lands_on_the_dashboard_with_a_sign_out(client, office):
    response = client.post("/login", data={"username": "supervisor", "password": "demo"})
    assert response.location.endswith("/supervisor")
    html = page(client, "/supervisor?lang=en")
    assert 'action="/logout"' in html
    assert 'action="/logout"' in page(client, "/supervisor/reports?lang=en")


def test_the_dashboard_shows_alerts_with_a_release_and_unserved_services(client, office):
    clerk = demo_user("clerk3")
    counters.sign_in(demo_counter(3).id, clerk)
    ticket = tickets.issue(office, "C")
    calling.call_next(demo_counter(3).id, user=clerk)
    Counter.update(clerk=None).where(Counter.id == demo_counter(3).id).execute()
    tickets.issue(office, "D")
    sign_in(client, "supervisor")
    html = page(client, "/supervisor?lang=en")
    assert f"Counter 3 is left by its clerk but still holds ticket {ticket.number}." in html
    assert "Service D: 1 waiting and no open counter serves it." in html
    assert f'data-release="{ticket.number}"' in html
    done = client.post("/supervisor/release", data={"ticket_id": ticket.id},
                       follow_redirects=True).get_data(as_text=True)
    assert Ticket.get_by_id(ticket.id).status == "waiting" and "back in line" in done


def test_comments_in_the_reports_with_filters_and_presets(client, office):
    clerk = demo_user("clerk1")
    counters.sign_in(demo_counter(1).id, clerk)
    for level, comment in ((1, "Chờ quá lâu"), (4, "Cán bộ rất nhiệt tình")):
        ticket = tickets.issue(office, "A")
        calling.call_next(demo_counter(1).id, user=clerk)
        tickets.finish(ticket.id, user=clerk)
        ratings.rate(demo_counter(1).id, ticket.id, level, comment)
    sign_in(client, "supervisor")
    assert "Cán bộ rất nhiệt tình" in page(client, "/supervisor?lang=en")
    html = page(client, "/supervisor/reports?preset=today&lang=en")
    assert "Chờ quá lâu" in html and "Cán bộ rất nhiệt tình" in html
    assert 'aria-current="true">Today' in html
    filtered = page(client, "/supervisor/reports?preset=today&score=1&lang=en")
    assert "Chờ quá lâu" in filtered and "Cán bộ rất nhiệt tình" not in filtered
    csv_body = client.get("/supervisor/tickets.csv?preset=today&lang=vi").data.decode("utf-8-sig")
    assert csv_body.splitlines()[0].startswith("Số,Dịch vụ,Trạng thái")


def test_on_the_first_of_a_month_one_preset_is_marked(client, office, monkeypatch):
    from datetime import datetime

    from queue_server.engine import clock

    # 1 December, 09:00 local: "today" and "this month" span the same single day.
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2026, 12, 1, 2, 0))
    sign_in(client, "supervisor")
    for preset, marked in (("month", "This month"), ("today", "Today")):
        html = page(client, f"/supervisor/reports?preset={preset}&lang=en")
        assert html.count('aria-current="true"') == 1, preset
        assert f'aria-current="true">{marked}' in html
