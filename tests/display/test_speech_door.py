"""The public speech endpoint: only real calls, a cache bounded in bytes, a rate per address.

Before, ``/display/speech/<lang>/<number>/<counter>.wav`` synthesised anything that
looked like a number and cached it forever: 400 made-up URLs wrote 121 MB in 4 s
from one client.
"""
import random

import pytest

from display import speech
from queue_server import create_app
from queue_server.engine import tickets
from tests.conftest import _config_dict

from ..factories import demo_counter


def cache_bytes(folder):
    return sum(p.stat().st_size for p in folder.glob("*.wav")) if folder.exists() else 0


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / "speech-cache"
    speech.configure(folder)
    return folder


def call(client, auth_header, office, code="A", counter=1):
    ticket = tickets.issue(office, code)
    response = client.post(f"/api/v1/counters/{demo_counter(counter).id}/call-next",
                           headers=auth_header(f"clerk{counter}"))
    assert response.json["ticket"]["number"] == ticket.number
    return ticket.number


def test_made_up_calls_are_404_and_write_nothing(client, cache, render_calls):
    rng = random.Random(15)
    answers = set()
    for _ in range(400):
        number = rng.choice("ABCDXYZ") + f"{rng.randrange(1000):03d}"
        answers.add(client.get(f"/display/speech/{rng.choice(['vi', 'en'])}/{number}/"
                               f"{rng.randrange(1, 100)}.wav").status_code)
    assert answers == {404}
    assert render_calls == [] and cache_bytes(cache) == 0


def test_a_number_called_today_at_that_counter_is_spoken(client, auth_header, office, cache):
    number = call(client, auth_header, office, "A", 1)
    spoken = client.get(f"/display/speech/vi/{number}/1.wav")
    assert spoken.status_code == 200 and spoken.mimetype == "audio/wav"
    assert spoken.data[:4] == b"RIFF"
    assert client.get(f"/display/speech/en/{number.lower()}/1.wav").status_code == 200
    # The same number at another counter, or the next number, was never called.
    assert client.get(f"/display/speech/vi/{number}/2.wav").status_code == 404
    assert client.get(f"/display/speech/vi/A{int(number[1:]) + 1:03d}/1.wav").status_code \
        == 404
    waiting = tickets.issue(office, "B").number  # issued, not called
    assert client.get(f"/display/speech/vi/{waiting}/1.wav").status_code == 404


def test_the_cache_never_exceeds_its_bound_least_recently_used_out(cache, render_calls):
    bound = 400_000  # a phrase is ~100-170 KB: room for two or three
    speech.configure(cache, max_bytes=bound)
    texts = [speech.announcement_text(f"A{n:03d}", 3, "vi") for n in range(12)]
    kept = speech.synthesize(texts[0], "vi")
    for text in texts[1:]:
        speech.synthesize(text, "vi")
        speech.synthesize(texts[0], "vi")  # in use all along: never the one evicted
        assert cache_bytes(cache) <= bound
    speech.configure(cache, max_bytes=bound)  # a restart: memory empty, disk kept
    before = len(render_calls)
    assert speech.synthesize(texts[0], "vi") == kept and len(render_calls) == before
    assert len(list(cache.glob("*.wav"))) < len(texts)


def test_the_memory_cache_is_bounded_in_bytes_too(cache):
    speech.configure(cache, max_bytes=300_000)
    for n in range(10):
        speech.synthesize(speech.announcement_text(f"B{n:03d}", 1, "vi"), "vi")
    assert speech.memory_bytes() <= 300_000


def test_the_cache_size_comes_from_the_setting(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUE_SPEECH_CACHE_MB", "7")
    app = create_app({**_config_dict(), "DATABASE_URL": db_url})
    assert app.config["SPEECH_CACHE_MB"] == 7.0
    assert speech.cache_limit() == 7 * 1024 * 1024
    app.extensions["printing"].stop()
    monkeypatch.delenv("QUEUE_SPEECH_CACHE_MB")
    app = create_app({**_config_dict(), "DATABASE_URL": db_url})
    assert speech.cache_limit() == 50 * 1024 * 1024
    app.extensions["printing"].stop()


def test_speech_is_rate_limited_per_address(db_url, tmp_path):
    app = create_app({**_config_dict(), "DATABASE_URL": db_url, "RATELIMIT_ENABLED": True,
                      "SPEECH_RATE": "5/minute", "SPEECH_CACHE_DIR": str(tmp_path / "c")})
    client = app.test_client()
    answers = [client.get(f"/display/speech/vi/A{n:03d}/1.wav").status_code
               for n in range(6)]
    assert answers == [404] * 5 + [429]
    other = app.test_client()
    assert other.get("/display/speech/vi/A001/1.wav",
                     environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 404
    app.extensions["printing"].stop()
