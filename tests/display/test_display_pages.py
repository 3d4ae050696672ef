"""Board and counter pages render the current state; call speech is served as WAV."""
import io
import wave

from queue_server.engine import boards, calling, tickets
from queue_server.models import Office

from ..factories import demo_counter


def test_board_page_shows_current_call_waiting_and_notice(client, office):
    Office.update(notice="Nghỉ trưa 11:30–13:30").where(Office.id == office.id).execute()
    tickets.issue(office, "A")
    tickets.issue(office, "B")
    called = calling.call_next(demo_counter(1).id)
    page = client.get(f"/display/{office.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert office.name in html
    assert f'<span class="number">{called.number}</span>' in html
    assert "Nghỉ trưa 11:30–13:30" in html
    assert "Chứng thực" in html  # service B's Vietnamese name, one waiting
    assert "socket.io.min.js" in html and "<script>" not in html  # vendored, no inline script
    assert "Đang kết nối lại" in html  # the reconnecting mark, in Vietnamese


def test_board_in_english_and_both_announcement_languages(client, office):
    html = client.get(f"/display/{office.id}?lang=en").get_data(as_text=True)
    assert "Reconnecting" in html and "Civil status" in html
    html = client.get(f"/display/{office.id}?lang=vi,en").get_data(as_text=True)
    assert 'data-langs="vi,en"' in html and "Hộ tịch" in html


def test_board_zone_and_key(client, office):
    boards.save_zone(office, "land", services=["C"])
    html = client.get(f"/display/{office.id}?zone=land").get_data(as_text=True)
    assert "Hộ tịch" not in html and "Đất đai" in html
    assert client.get(f"/display/{office.id}?zone=nope").status_code == 404
    Office.update(display_key="k1").where(Office.id == office.id).execute()
    assert client.get(f"/display/{office.id}").status_code == 403
    assert client.get(f"/display/{office.id}?key=k1").status_code == 200
    assert client.get("/display/999").status_code == 404


def test_counter_page_shows_its_ticket_or_closed(client, office):
    counter = demo_counter(3)
    html = client.get(f"/display/counter/{counter.id}").get_data(as_text=True)
    assert "Quầy đã đóng" in html
    tickets.issue(office, "C")
    called = calling.call_next(counter.id)
    html = client.get(f"/display/counter/{counter.id}").get_data(as_text=True)
    assert f">{called.number}</p>" in html
    assert client.get("/display/counter/999").status_code == 404


def test_speech_is_a_wav_file(client, office):
    tickets.issue(office, "C")
    number = calling.call_next(demo_counter(3).id).number  # only real calls are spoken
    response = client.get(f"/display/speech/vi/{number}/3.wav")
    assert response.status_code == 200
    assert response.mimetype == "audio/wav"
    with wave.open(io.BytesIO(response.data)) as audio:
        assert audio.getnframes() > audio.getframerate() // 2  # over half a second of speech
    english = client.get(f"/display/speech/en/{number}/3.wav")
    assert english.mimetype == "audio/wav" and english.data != response.data


def test_speech_refuses_what_is_not_a_call(client):
    assert client.get("/display/speech/fr/A023/3.wav").status_code == 404
    assert client.get("/display/speech/vi/hello%20world/3.wav").status_code == 404
    assert client.get("/display/speech/vi/A023/99999.wav").status_code == 404


def test_static_files_are_served(client):
    for name in ("board.js", "live.js", "announcer.js", "counter.js", "display.css",
                 "vendor/socket.io.min.js", "audio/chime.wav"):
        assert client.get(f"/display/static/{name}").status_code == 200, name
