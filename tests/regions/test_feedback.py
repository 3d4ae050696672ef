"""Feedback moves new -> handling -> answered -> closed; the answer reaches the citizen's
tracking page; answers are timed against the office's promise; spam stays out."""
from datetime import timedelta

import pytest

from queue_server import create_app
from queue_server.engine import audit, calling, comparison, feedback, ratings, tickets
from queue_server.engine.clock import business_day
from queue_server.models import Counter, Feedback, Office, User, utcnow
from tests.conftest import _config_dict
from tests.views.helpers import sign_in, take_ticket


def inbox(client, headers, state=None):
    query = f"&state={state}" if state else ""
    response = client.get(f"/api/v1/feedback?office=1{query}", headers=headers)
    assert response.status_code == 200
    return response.json


def test_feedback_from_the_phone_page_is_answered_there(client, auth_header):
    token = take_ticket(client)
    page = client.get(f"/t/{token}").get_data(as_text=True)
    assert 'action="/t/%s/feedback"' % token in page
    sent = client.post(f"/t/{token}/feedback", data={"text": "Chỗ ngồi chờ hơi ít ghế.",
                                                     "contact": ""})
    assert sent.status_code == 302 and sent.location.endswith(f"/t/{token}#feedback")
    headers = auth_header("supervisor")
    [item] = inbox(client, headers, "new")
    assert (item["text"], item["ticket"], item["contact"], item["in_time"]) == (
        "Chỗ ngồi chờ hơi ít ghế.", "A001", "", None)
    page = client.get(f"/t/{token}?lang=en").get_data(as_text=True)
    assert "Chỗ ngồi chờ hơi ít ghế." in page and "The office will answer here." in page

    moved = client.post(f"/api/v1/feedback/{item['id']}/state", json={"state": "handling"},
                        headers=headers)
    assert moved.json["state"] == "handling"
    assert inbox(client, headers, "new") == [] and len(inbox(client, headers, "handling")) == 1
    answer = "Cảm ơn quý khách, phường sẽ bổ sung ghế trong tuần này."
    answered = client.post(f"/api/v1/feedback/{item['id']}/answer", json={"text": answer},
                           headers=headers)
    assert answered.status_code == 200
    assert (answered.json["state"], answered.json["in_time"]) == ("answered", True)
    assert answer in client.get(f"/t/{token}").get_data(as_text=True)

    closed = client.post(f"/api/v1/feedback/{item['id']}/state", json={"state": "closed"},
                         headers=headers)
    assert closed.json["state"] == "closed"
    again = client.post(f"/api/v1/feedback/{item['id']}/answer", json={"text": "x"},
                        headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "bad_transition"
    assert answer in client.get(f"/t/{token}").get_data(as_text=True)  # still shown


def test_the_inbox_screen_moves_and_answers(client):
    audit.acting(None)
    created = feedback.submit(Office.get(), "Nhân viên quầy 2 rất nhiệt tình.", "0912 345 678")
    sign_in(client, "supervisor")
    page = client.get("/supervisor/feedback").get_data(as_text=True)
    assert "Nhân viên quầy 2 rất nhiệt tình." in page and "0912 345 678" in page
    url = f"/supervisor/feedback/{created.id}"
    assert client.post(url, data={"action": "handling"}).status_code == 302
    assert Feedback.get_by_id(created.id).state == "handling"
    client.post(url, data={"action": "answer", "text": "Cảm ơn quý khách."})
    item = Feedback.get_by_id(created.id)
    assert (item.state, item.answer, item.answered_by.username) == (
        "answered", "Cảm ơn quý khách.", "supervisor")
    client.post(url, data={"action": "closed"})
    assert Feedback.get_by_id(created.id).state == "closed"
    assert "Cảm ơn quý khách." in client.get("/supervisor/feedback?state=closed").get_data(
        as_text=True)


def test_answers_are_timed_against_the_promise_and_spam_stays_out(app, client, auth_header):
    office = Office.get()
    office.feedback_promise_h = 24
    office.save()
    audit.acting(None)
    now = utcnow()
    on_time = feedback.submit(office, "Một", at=now - timedelta(hours=30))
    late = feedback.submit(office, "Hai", at=now - timedelta(hours=30))
    feedback.submit(office, "Ba (chưa trả lời)", at=now - timedelta(hours=2))
    spam = feedback.submit(office, "quảng cáo vay tiền", at=now - timedelta(hours=1))
    feedback.answer(on_time, "Đã xử lý.", at=now - timedelta(hours=10))
    feedback.answer(late, "Đã xử lý, xin lỗi vì chậm.", at=now)
    headers = auth_header("supervisor")
    client.post(f"/api/v1/feedback/{spam.id}/state", json={"spam": True}, headers=headers)
    listed = {i["text"]: i["in_time"] for i in inbox(client, headers)}
    assert listed["Một"] is True and listed["Hai"] is False and listed["Ba (chưa trả lời)"] is None
    assert [i["text"] for i in inbox(client, headers, "spam")] == ["quảng cáo vay tiền"]
    assert "quảng cáo vay tiền" not in [i["text"] for i in inbox(client, headers, "new")]
    day = business_day(office, now)
    row = comparison.comparison([office], day - timedelta(days=3), day)["offices"][0]
    assert (row["feedback_received"], row["feedback_answered_in_time"]) == (3, 1)


def test_a_rating_comment_is_feedback_too(client, auth_header):
    office = Office.get()
    ticket = tickets.issue(office, "A")
    counter = Counter.get(Counter.number == 1)
    calling.call_next(counter.id, user=User.get(User.username == "clerk1"))
    tickets.start(ticket.id)
    tickets.finish(ticket.id)
    ratings.rate(counter.id, ticket.id, "neutral", "Thủ tục còn rườm rà.")
    [item] = inbox(client, auth_header("supervisor"))
    assert (item["source"], item["text"], item["ticket"]) == ("rating", "Thủ tục còn rườm rà.",
                                                              ticket.number)
    client.post(f"/api/v1/feedback/{item['id']}/answer", json={"text": "Phường sẽ rút gọn."},
                headers=auth_header("supervisor"))
    assert "Phường sẽ rút gọn." in client.get(f"/t/{ticket.token}").get_data(as_text=True)


@pytest.mark.parametrize("body,status", [({"office": 1, "text": ""}, 400),
                                         ({"office": 1, "text": "x" * 2001}, 400),
                                         ({"office": 1, "text": "ok", "token": "nope"}, 404),
                                         ({"office": 99, "text": "ok"}, 404),
                                         ({"text": "ok"}, 400)])
def test_bad_feedback_is_refused_and_changes_nothing(client, body, status):
    response = client.post("/api/v1/feedback", json=body)
    assert response.status_code == status and "error" in response.json
    assert Feedback.select().count() == 0


def test_public_feedback_is_rate_limited(db_url, tmp_path):
    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                      "FEEDBACK_RATE": "3/minute",
                      "PRINTER": f"preview://{tmp_path / 'printed'}"})
    client = app.test_client()
    answers = [client.post("/api/v1/feedback", json={"office": 1, "text": f"góp ý {i}"})
               .status_code for i in range(4)]
    assert answers == [201, 201, 201, 429]
    app.extensions["printing"].stop()
