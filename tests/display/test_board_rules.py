"""What a board lists and in which languages it announces."""
from queue_server.engine import boards, calling, tickets
from queue_server.models import Office, Service

from ..factories import demo_counter


def test_a_transferred_ticket_is_listed_once_among_recent_calls(office):
    first = tickets.issue(office, "A")
    tickets.issue(office, "C")
    called = calling.call_next(demo_counter(1).id)
    assert called.id == first.id
    moved = tickets.transfer(first.id, "B")
    again = calling.call_next(demo_counter(2).id)
    assert again.id == moved.id and again.number == first.number
    numbers = [c["number"] for c in boards.recent_calls(office)]
    assert numbers.count(first.number) == 1
    assert boards.recent_calls(office)[0]["counter"] == 2  # the newest call of that number


def test_the_default_announcement_languages(office):
    assert boards.announce_languages(office) == ["vi", "en"]  # the demo has English names
    Service.update(name_en="").execute()
    assert boards.announce_languages(office) == ["vi"]
    office.announce_languages = "en,vi"
    assert boards.announce_languages(office) == ["en", "vi"]
    assert boards.announce_languages(office, "vi") == ["vi"]  # the board's ?lang= wins
    assert boards.announce_languages(office, "xx,,") == ["en", "vi"]


def test_the_board_labels_follow_both_languages_and_show_the_date(client, office):
    html = client.get(f"/display/{office.id}?lang=vi,en").get_data(as_text=True)
    assert 'data-langs="vi,en"' in html
    assert '<span class="l1">Đang chờ</span><span class="l2" lang="en">Waiting</span>' in html
    assert 'id="date"' in html and "favicon.svg" in html
    html = client.get(f"/display/{office.id}").get_data(as_text=True)
    assert 'data-langs="vi,en"' in html  # the office's default: vi then en
    Office.update(announce_languages="vi").execute()
    html = client.get(f"/display/{office.id}").get_data(as_text=True)
    assert 'data-langs="vi"' in html and 'class="l2"' not in html


def test_the_admin_sets_the_announcement_languages(client, office):
    from tests.views.helpers import sign_in

    sign_in(client, "admin")
    form = {"name": office.name, "timezone": office.timezone, "default_language": "vi",
            "opening_hours": "", "notice": "", "display_key": "", "kiosk_key": "",
            "printer_url": "", "announce_languages": "en,vi"}
    response = client.post(f"/admin/offices/{office.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert Office.get_by_id(office.id).announce_languages == "en,vi"
