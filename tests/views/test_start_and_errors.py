"""The start page at /, error pages in the page's language, kiosk and tablet going home
in the office's language by themselves."""
import json
import re
from datetime import datetime

import pytest

from queue_server import create_app
from queue_server.demo import DEMO_HOURS, seed_demo
from queue_server.engine import calling, tickets
from queue_server.engine.hours import is_open
from queue_server.models import Counter, Office, User

from ..conftest import _config_dict
from .helpers import sign_in, take_ticket


def test_the_demo_start_page_links_every_screen_and_each_link_works(app, client):
    app.config["DEMO"] = True
    html = client.get("/").get_data(as_text=True)
    links = re.findall(r'<li><a href="([^"]+)">', html)
    assert len(links) == 10
    for text in ("Máy lấy số", "Màn hình phòng chờ", "Màn hình tại quầy", "Theo dõi trên điện thoại",
                 "Màn hình cán bộ", "Máy đánh giá", "Bảng điều hành", "Báo cáo", "Quản trị",
                 "Trang công khai"):
        assert text in html, text
    sign_in(client, "admin")
    for link in links:
        response = client.get(link)
        assert response.status_code == 200, (link, response.status_code)


def test_without_the_demo_the_start_page_sends_staff_to_sign_in(app, client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/login"' in html and "create-user" not in html  # the demo has an admin
    User.update(active=False).where(User.role == "admin").execute()
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "No administrator account exists yet" in html
    assert "queue-server create-user admin --role admin" in html


def test_a_fresh_demo_seed_has_hours_and_public_page(tmp_path, monkeypatch):
    monkeypatch.delenv("QUEUE_DEMO_HOURS")
    app = create_app({**_config_dict(), "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"})
    from queue_server.db import db
    with app.app_context(), db.connection_context():
        assert seed_demo() is True
        office = Office.get()
        assert office.public_stats
        assert json.loads(office.opening_hours) == json.loads(DEMO_HOURS)
        # Open in the morning, closed for lunch (Tuesday 1 December 2026, Hanoi time).
        assert is_open(office, datetime(2026, 12, 1, 2, 0))  # 09:00
        assert not is_open(office, datetime(2026, 12, 1, 5, 0))  # 12:00
        client = app.test_client()
        assert client.get(f"/public/{office.id}").status_code == 200
    app.extensions["printing"].stop()


@pytest.mark.parametrize("lang,title,sentence", [
    ("vi", "Không tìm thấy trang", "Không có trang nào ở địa chỉ này"),
    ("en", "Page not found", "There is no page at this address"),
])
def test_a_404_page_speaks_the_page_language(client, lang, title, sentence):
    page = client.get(f"/nowhere?lang={lang}")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert title in html and sentence in html and f'<html lang="{lang}">' in html
    assert "The requested URL was not found" not in html
    assert 'href="/"' in html  # back to the start page, which exists


def test_an_unknown_tracking_link_is_said_in_vietnamese(client):
    html = client.get("/t/nosuchtoken").get_data(as_text=True)
    assert "Không có số nào ứng với đường dẫn theo dõi này" in html
    assert "No ticket has this tracking link" not in html


def test_the_kiosk_at_its_rate_limit_shows_a_translated_screen_that_goes_home(db_url, tmp_path):
    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                      "TICKET_RATE": "1/minute", "PRINTER": f"preview://{tmp_path / 'p'}"})
    client = app.test_client()
    client.get("/kiosk/1?lang=en")  # the last citizen chose English
    assert client.post("/kiosk/1", data={"service": "A"}).status_code == 302
    refused = client.post("/kiosk/1?printer=2", data={"service": "A"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many requests from this device" in html and "per 1 minute" not in html
    refresh = re.search(r'http-equiv="refresh" content="(\d+);url=([^"]+)"', html)
    assert refresh and int(refresh.group(1)) <= 10
    assert refresh.group(2).replace("&amp;", "&") == "/kiosk/1?lang=vi&printer=2"
    assert "vi" in client.get(refresh.group(2).replace("&amp;", "&")).get_data(as_text=True)[:80]
    app.extensions["printing"].stop()


def test_a_closed_office_kiosk_post_is_a_screen_that_goes_home(client, office):
    office.opening_hours = '{"mon": [["00:00", "00:01"]]}'
    office.save()
    refused = client.post("/kiosk/1?lang=en", data={"service": "A"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "The office is closed now" in html
    assert 'url=/kiosk/1?lang=vi"' in html


def test_after_a_ticket_the_kiosk_returns_in_the_office_language(client):
    client.get("/kiosk/1?lang=en")
    token = take_ticket(client, "A")
    html = client.get(f"/kiosk/1/ticket/{token}").get_data(as_text=True)
    assert "Your number" in html  # the citizen who chose English reads English
    assert 'url=/kiosk/1?lang=vi"' in html and 'data-return="/kiosk/1?lang=vi"' in html
    again = client.get("/kiosk/1?lang=vi").get_data(as_text=True)
    assert '<html lang="vi">' in again
    assert '<html lang="vi">' in client.get("/kiosk/1").get_data(as_text=True)  # remembered


def test_the_tablet_returns_to_the_office_language(client):
    take_ticket(client, "A")
    ticket = calling.call_next(Counter.get(Counter.number == 1).id)
    tickets.start(ticket.id)
    tickets.finish(ticket.id)
    html = client.get("/rate/1?lang=en").get_data(as_text=True)
    assert "How satisfied are you with the service?" in html
    assert 'url=/rate/1?lang=vi"' in html
    # The choice comes before the comment box, and each choice has its face.
    assert html.index('name="level"') < html.index("<textarea")
    assert html.count('class="face"') == 4
    thanks = client.get("/rate/1/thanks").get_data(as_text=True)
    assert 'url=/rate/1?lang=vi"' in thanks


def test_the_kiosk_asks_for_priority_as_its_first_step(client):
    html = client.get("/kiosk/1").get_data(as_text=True)
    step1, step2 = html.index('class="step-no" aria-hidden="true">1'), html.index(
        'class="step-no" aria-hidden="true">2')
    assert step1 < html.index('name="priority"') < step2 < html.index('name="service"')
    assert "Ưu tiên: chỉ chọn nếu quý khách thuộc diện này" in html


def test_screen_and_paper_say_the_wait_the_same_way(client):
    from printer.plain_text import render_text
    from printer.ticket import wait_minutes

    from tests.printer.fakes import make_ticket

    assert [wait_minutes(s) for s in (None, 0, 1, 60, 61, 900)] == [None, 1, 1, 1, 2, 15]
    assert "1 phut/min" in render_text(make_ticket(estimated_wait_s=0))
    token = take_ticket(client, "A")  # nobody ahead: an estimate of 0 s
    html = client.get(f"/kiosk/1/ticket/{token}").get_data(as_text=True)
    assert "khoảng 1 phút" in html and "dưới một phút" not in html


def test_a_service_closed_while_choosing_is_said_so_and_goes_home(client):
    from queue_server.models import Service

    Service.update(active=False).where(Service.code == "B").execute()
    refused = client.post("/kiosk/1", data={"service": "B"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 404
    assert "Chưa lấy được số" in html and "Không tìm thấy trang" not in html
    assert "Dịch vụ này không có hoặc hiện không nhận số." in html
    assert 'url=/kiosk/1?lang=vi"' in html
