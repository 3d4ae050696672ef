"""The admin's opening-hours page, the service form's counters, the screens page; the
kiosk and the phone during a lunch break; durations and numbers as the language writes
them."""
import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from queue_server.engine import hours_admin, tracking
from queue_server.models import Closure, Office, Service, Ticket

from .helpers import sign_in, take_ticket

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hours_form(**changes):
    form = {"last_ticket_rule": "", "last_ticket_time": ""}
    for day in DAYS[:5]:
        form.update({f"{day}_on": "y", f"{day}_open": "07:30", f"{day}_break_start": "11:30",
                     f"{day}_break_end": "13:30", f"{day}_close": "17:00"})
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_the_weekly_table_is_saved_from_the_form(client, office):
    sign_in(client, "admin")
    page = client.get(f"/admin/offices/{office.id}/hours?lang=vi").get_data(as_text=True)
    assert "Thứ Hai" in page and 'placeholder="HH:MM"' in page and "<textarea" not in page
    saved = client.post(f"/admin/offices/{office.id}/hours",
                        data=hours_form(sat_on="y", sat_open="07:30", sat_close="11:30",
                                        last_ticket_rule="time", last_ticket_time="16:30"))
    assert saved.status_code == 302
    office = Office.get_by_id(office.id)
    table = json.loads(office.opening_hours)
    assert table["mon"] == [["07:30", "11:30"], ["13:30", "17:00"]]
    assert table["sat"] == [["07:30", "11:30"]] and "sun" not in table
    assert (office.last_ticket_rule, office.last_ticket_time) == ("time", "16:30")
    shown = client.get(f"/admin/offices/{office.id}/hours").get_data(as_text=True)
    assert re.search(r'id="sat_close"[^>]*value="11:30"', shown)


@pytest.mark.parametrize("lang,message", [
    ("vi", "Hãy viết giờ theo dạng HH:MM, ví dụ 07:30."),
    ("en", "Write the time as HH:MM, e.g. 07:30."),
])
def test_a_typo_is_a_translated_error_beside_its_field(client, office, lang, message):
    sign_in(client, "admin")
    client.get(f"/admin?lang={lang}")
    refused = client.post(f"/admin/offices/{office.id}/hours", data=hours_form(tue_open="7h30"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    error = re.search(r'<td class="has-error"><input [^>]*id="tue_open"[^>]*>\s*'
                      r'<p class="field-error" id="tue_open-err">([^<]*)</p>', html)
    assert error and error.group(1) == message
    assert 'aria-describedby="tue_open-err"' in html
    assert "JSON" not in html and "Expecting" not in html
    assert Office.get_by_id(office.id).opening_hours == ""  # nothing saved


def test_a_break_outside_the_day_and_no_open_day_are_said_plainly(client, office):
    sign_in(client, "admin")
    late = client.post(f"/admin/offices/{office.id}/hours?lang=en",
                       data=hours_form(wed_break_start="18:00", wed_break_end="19:00"))
    assert "The office opens before its lunch break and closes after it." in \
        late.get_data(as_text=True)
    none = {k: v for k, v in hours_form().items() if not k.endswith("_on")}
    never = client.post(f"/admin/offices/{office.id}/hours", data=none)
    assert "The office opens on no day" in never.get_data(as_text=True)


def test_closures_are_added_listed_and_removed(client, office):
    sign_in(client, "admin")
    next_year = date.today().year + 1
    added = client.post(f"/admin/offices/{office.id}/closures?lang=vi",
                        data={"day": f"5/02/{next_year}", "until": f"{next_year}-02-07",
                              "reason_vi": "Tết Nguyên đán", "reason_en": "Lunar New Year"},
                        follow_redirects=True)
    html = added.get_data(as_text=True)
    assert "Đã đóng cửa 3 ngày." in html and html.count("Tết Nguyên đán") == 3
    again = client.post(f"/admin/offices/{office.id}/closures?lang=vi",
                        data={"day": f"06/02/{next_year}"})
    assert again.status_code == 400 and "đã đóng cửa vào ngày" in again.get_data(as_text=True)
    typo = client.post(f"/admin/offices/{office.id}/closures?lang=vi", data={"day": "30/02"})
    assert "Hãy viết ngày theo dạng ngày/tháng/năm, ví dụ 05/02/2027." in \
        typo.get_data(as_text=True)
    closure = Closure.get(Closure.day == date(next_year, 2, 5))
    client.post(f"/admin/offices/{office.id}/closures/remove", data={"row_id": closure.id})
    assert Closure.select().count() == 2


def test_the_service_form_chooses_its_counters_and_admin_warns_when_none(client, office):
    sign_in(client, "admin")
    form = {"code": "E", "name_vi": "Tư pháp", "name_en": "Justice", "prefix": "E",
            "target_wait_min": "20", "daily_cap": "", "active": "y"}
    created = client.post(f"/admin/offices/{office.id}/services/new?lang=en", data=form,
                          follow_redirects=True)
    html = created.get_data(as_text=True)
    assert "No counter serves E: the kiosk does not offer it" in html
    assert "none: not offered" in html
    kiosk = client.get("/kiosk/1?lang=en").get_data(as_text=True)
    assert 'value="E"' not in kiosk and "Not served today:" in kiosk and "E – Justice" in kiosk
    service = Service.get(Service.code == "E")
    edit = client.get(f"/admin/services/{service.id}").get_data(as_text=True)
    assert edit.count('name="counters" type="checkbox"') == 4  # one per counter
    client.post(f"/admin/services/{service.id}", data={**form, "counters": ["3", "4"]})
    from queue_server.engine.counters import counters_of
    assert [c.number for c in counters_of(service)] == [3, 4]
    listed = client.get(f"/admin/offices/{office.id}/services").get_data(as_text=True)
    assert "No counter serves" not in listed
    assert 'value="E"' in client.get("/kiosk/1").get_data(as_text=True)


def test_the_screens_page_lists_every_screen_with_url_key_and_qr(client, office):
    office.display_key, office.kiosk_key = "bang-hien-thi-123", "ki-ot-456"
    office.save()
    sign_in(client, "admin")
    html = client.get(f"/admin/offices/{office.id}/screens?lang=en").get_data(as_text=True)
    kinds = re.findall(r'data-screen="([a-z_]+)"', html)
    assert kinds.count("kiosk") == 1 and kinds.count("board") == 1
    assert kinds.count("counter_display") == 4 and kinds.count("rating_tablet") == 4
    assert kinds.count("join_poster") == 1 and "http://localhost/join/1/poster" in html
    assert kinds.count("booking") == 1 and "http://localhost/book/1" in html
    assert "http://localhost/kiosk/1?key=ki-ot-456" in html
    assert "http://localhost/display/counter/1?key=bang-hien-thi-123" in html
    assert "http://localhost/rate/4?key=bang-hien-thi-123" in html
    assert html.count('src="data:image/svg+xml;base64,') == len(kinds)
    assert "Display of counter 2" in html and "Rating tablet of counter 3" in html
    index = client.get("/admin").get_data(as_text=True)
    assert f"/admin/offices/{office.id}/screens" in index


def lunch_now(office, minutes_left=45):
    """A weekly table whose lunch break is now (local), ending in ``minutes_left``."""
    now = datetime.now(ZoneInfo(office.timezone))
    start, end = now - timedelta(minutes=30), now + timedelta(minutes=minutes_left)
    if start.date() != now.date() or end.date() != now.date() or start.hour < 1 or \
            end.hour > 22:
        pytest.skip("the local time is too near midnight for a lunch break now")
    day = {"open": "00:00", "close": "23:59",
           "break": {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}}
    hours_admin.save_hours(office, days={d: day for d in DAYS})
    return end.strftime("%H:%M")


@pytest.mark.parametrize("lang,text", [("vi", "Mở cửa lại lúc {t} hôm nay."),
                                       ("en", "It reopens today at {t}.")])
def test_the_kiosk_and_phone_say_when_the_lunch_break_ends(client, office, lang, text):
    token = take_ticket(client, "A")  # before the break
    reopens = lunch_now(office)
    kiosk = client.get(f"/kiosk/1?lang={lang}").get_data(as_text=True)
    assert text.format(t=reopens) in kiosk and 'name="service"' not in kiosk
    refused = client.post("/kiosk/1", data={"service": "A"})
    assert refused.status_code == 409 and Ticket.select().count() == 1
    assert text.format(t=reopens) in refused.get_data(as_text=True)
    phone = client.get(f"/t/{token}?lang={lang}").get_data(as_text=True)
    assert text.format(t=reopens) in phone
    # The ticket waits at least until the break ends (45 min), never "under a minute".
    snap = tracking.snapshot(tracking.by_token(token))
    assert 44 * 60 <= snap["estimated_wait_s"] <= 46 * 60 + 600


def test_durations_and_decimals_in_the_page_language(app):
    from queue_server.formatting import format_duration, format_number
    with app.test_request_context("/?lang=vi"):
        assert [format_duration(s) for s in (None, 45, 900, 3900, 7200)] == \
            ["–", "45 giây", "15 phút", "1 giờ 5 phút", "2 giờ"]
        assert (format_number(3, 2), format_number(1234.5)) == ("3,00", "1.234,5")
    with app.test_request_context("/?lang=en"):
        assert [format_duration(s) for s in (900, 3900)] == ["15 min", "1 h 5 min"]
        assert format_number(3, 2) == "3.00"


def test_the_dashboard_writes_the_target_as_a_duration(client):
    sign_in(client, "supervisor")
    html = client.get("/supervisor?lang=vi").get_data(as_text=True)
    assert "<td>15 phút</td>" in html and "<td>15:00</td>" not in html
