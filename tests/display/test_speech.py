"""Announcement audio: the words, the WAV a display plays, and the caches."""

import array
import io
import math
import threading
import wave
from pathlib import Path

import pytest

from display import speech

CHIME = Path(__file__).resolve().parents[2] / "display" / "static" / "audio" / "chime.wav"
# Full scale is 32767; speech sits around 4,000 RMS, an all-but-silent file near 0.
AUDIBLE_RMS = 500


@pytest.fixture(autouse=True)
def cache_dir(tmp_path):
    """A fresh disk cache and an empty memory cache for every test."""
    speech.configure(tmp_path / "speech-cache")
    yield tmp_path / "speech-cache"
    speech.configure(None)


def parse(data: bytes):
    """(wave params, duration in s, RMS) of a mono 16-bit WAV."""
    with wave.open(io.BytesIO(data)) as wav:
        params = wav.getparams()
        samples = array.array("h", wav.readframes(params.nframes))
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return params, params.nframes / params.framerate, rms


def test_announcement_text_vietnamese():
    assert speech.announcement_text("A023", 3, "vi") == "Mời số A023 đến quầy số 3"


def test_announcement_text_english():
    assert speech.announcement_text("A023", 3, "en") == "Ticket A023, please go to counter 3"


def test_announcement_text_takes_counter_as_string():
    assert speech.announcement_text("B105", "12", "vi") == "Mời số B105 đến quầy số 12"


def test_announcement_text_rejects_unknown_language():
    with pytest.raises(ValueError, match="fr"):
        speech.announcement_text("A023", 3, "fr")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_ticket_number_is_spelled_letter_then_digits(lang):
    text = speech.announcement_text("A023", 3, lang)
    assert "A, 0 2 3," in speech.spoken_form(text, lang)
    assert "A023" not in speech.spoken_form(text, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_call_is_an_audible_wav(lang):
    data = speech.synthesize(speech.announcement_text("A023", 3, lang), lang)

    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    params, seconds, rms = parse(data)
    assert params.nchannels == 1
    assert params.sampwidth == 2
    assert params.framerate == 22050
    assert 0.5 < seconds < 10
    assert rms > AUDIBLE_RMS


def test_vietnamese_and_english_sound_different():
    vi = speech.synthesize(speech.announcement_text("A023", 3, "vi"), "vi")
    en = speech.synthesize(speech.announcement_text("A023", 3, "en"), "en")
    assert vi != en


def test_repeat_call_comes_from_memory_without_synthesising(render_calls):
    text = speech.announcement_text("A023", 3, "vi")

    first = speech.synthesize(text, "vi")
    again = speech.synthesize(text, "vi")

    assert again == first
    assert len(render_calls) == 1


def test_disk_cache_survives_a_restart(render_calls, cache_dir):
    text = speech.announcement_text("A023", 3, "en")
    first = speech.synthesize(text, "en")
    assert len(list(cache_dir.glob("en-*.wav"))) == 1

    speech.configure(cache_dir)  # same folder, empty memory: like a new process
    again = speech.synthesize(text, "en")

    assert again == first
    assert len(render_calls) == 1


def test_cache_key_includes_language(render_calls):
    speech.synthesize("A023", "vi")
    speech.synthesize("A023", "en")
    assert render_calls == [("vi", "A023"), ("en", "A023")]


def test_truncated_cache_file_is_resynthesised(render_calls, cache_dir):
    text = speech.announcement_text("C007", 1, "vi")
    first = speech.synthesize(text, "vi")
    (cached,) = cache_dir.glob("vi-*.wav")
    cached.write_bytes(first[:20])

    speech.configure(cache_dir)
    again = speech.synthesize(text, "vi")

    assert len(render_calls) == 2
    assert parse(again)[2] > AUDIBLE_RMS
    assert cached.read_bytes() == again


def test_unwritable_cache_still_speaks(tmp_path, render_calls):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    speech.configure(blocker / "cache")

    data = speech.synthesize(speech.announcement_text("A001", 2, "en"), "en")

    assert parse(data)[2] > AUDIBLE_RMS


def test_concurrent_calls_get_their_own_audio():
    # Phrases of clearly different lengths: if two threads' samples were mixed,
    # durations would not match the phrases rendered one at a time. (Renders
    # are compared by length, not bytes: eSpeak adds a little pseudo-random
    # jitter, so the same phrase differs by a few samples between renders.)
    texts = [speech.announcement_text("A" + "1" * n, 3, "vi") for n in range(1, 7)]
    results = {}

    def speak(text):
        results[text] = speech.synthesize(text, "vi")

    threads = [threading.Thread(target=speak, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for text in texts:
        reference = parse(speech._render(text, "vi"))[1]  # bypasses both caches
        assert parse(results[text])[1] == pytest.approx(reference, abs=0.05)


def test_synthesize_rejects_unknown_language():
    with pytest.raises(ValueError):
        speech.synthesize("Bonjour", "fr")


def test_missing_engine_raises_speech_unavailable(monkeypatch, tmp_path):
    import espeakng_loader

    missing = str(tmp_path / "no-such-libespeak-ng.so")
    monkeypatch.setattr(espeakng_loader, "get_library_path", lambda: missing)
    monkeypatch.setattr(speech, "_engine", None)

    with pytest.raises(speech.SpeechUnavailable, match="cannot load eSpeak NG"):
        speech.synthesize("Mời số A999 đến quầy số 9", "vi")


def test_chime_is_an_audible_short_wav():
    params, seconds, rms = parse(CHIME.read_bytes())
    assert params.nchannels == 1
    assert params.sampwidth == 2
    assert params.framerate == 22050
    assert 0.5 < seconds < 1.5
    assert rms > AUDIBLE_RMS
