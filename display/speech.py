"""Offline text-to-speech for call announcements ("Mời số A023 đến quầy số 3").

Offices are often offline and mostly run Windows, so the voice must not need a
cloud service or a system package. We drive eSpeak NG through ctypes, using the
shared library and voice data bundled by the pip package ``espeakng-loader``
(Linux .so, Windows .dll, macOS .dylib). The voice is robotic but clear, and a
phrase takes milliseconds to render (see docs/speech.md).

No Flask here: views ask for bytes and serve them as ``audio/wav``.
"""

from __future__ import annotations

import ctypes
import hashlib
import io
import logging
import os
import re
import tempfile
import threading
import wave
from collections import OrderedDict
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = [
    "SpeechUnavailable",
    "announcement_text",
    "spoken_form",
    "synthesize",
    "configure",
    "cache_limit",
    "LANGUAGES",
]

# Announcement language -> eSpeak NG voice name.
VOICES = {"vi": "vi", "en": "en"}
LANGUAGES = tuple(VOICES)

# Words per minute. eSpeak's default (175) is rushed for a hall full of people
# listening for their number; 145 stays intelligible without dragging.
RATE_WPM = 145

# Bump when anything that changes the audio for the same (lang, text) changes
# (voice, rate, spelling rules), so stale files in a disk cache are not served.
CACHE_VERSION = "1"
MEMORY_ENTRIES = 64  # a 4 s phrase at 22 kHz is ~170 KB: ~11 MB at most.

_TEMPLATES = {
    "vi": "Mời số {number} đến quầy số {counter}",
    "en": "Ticket {number}, please go to counter {counter}",
}

# eSpeak's constants (speak_lib.h).
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # without it a data error calls exit() in our process
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_POS_CHARACTER = 1
_PARAM_RATE = 1
_EE_OK = 0

_SYNTH_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class SpeechUnavailable(RuntimeError):
    """The speech engine cannot be loaded or cannot speak the requested voice.

    Callers should degrade to the chime alone: a missing voice must never stop
    a ticket from being called.
    """


def announcement_text(number: str, counter: int | str, lang: str) -> str:
    """The sentence announcing that ticket `number` is called to `counter`.

    This is the text as a person reads it on the board (and the cache key);
    `synthesize` spells the ticket number out for the engine, see `spoken_form`.
    """
    if lang not in _TEMPLATES:
        raise ValueError(f"unsupported announcement language {lang!r}; use one of {LANGUAGES}")
    return _TEMPLATES[lang].format(number=str(number).strip(), counter=str(counter).strip())


# A ticket number: a short letter prefix (the service) then digits, "A023", "VIP-7".
_TICKET_NUMBER = re.compile(r"\b([A-Za-z]{1,3})-?(\d{1,6})\b([,.;:!?])?")


def spoken_form(text: str, lang: str) -> str:
    """Rewrite ticket numbers in `text` so eSpeak reads them the way they are printed.

    "A023" becomes "A, 0 2 3" in both languages, because read as written:
    - vi says "a không hai mươi ba" ("a zero twenty-three"): the leading zero
      is spoken yet the number is read as a quantity, which matches neither the
      ticket nor how staff say it; digit by digit ("không hai ba") does.
    - en says "A zero twenty three", and "A 23" is read with the article "uh",
      not the letter "ay". The comma forces the letter name and a short pause,
      so the letter cannot blur into the first digit.
    Digits one by one also keep every number the same length to listen to.
    `lang` is accepted so a language can get its own rule later.
    """
    if lang not in VOICES:
        raise ValueError(f"unsupported speech language {lang!r}; use one of {LANGUAGES}")

    def spell(match: re.Match[str]) -> str:
        letters = " ".join(match.group(1).upper())
        # End on a pause too (unless punctuation already gives one), so the
        # last digit does not run into the counter words.
        return f"{letters}, {' '.join(match.group(2))}{match.group(3) or ','}"

    return _TICKET_NUMBER.sub(spell, text)


# --- engine ---------------------------------------------------------------

_engine_lock = threading.Lock()  # eSpeak NG keeps global state and is not reentrant
_engine: "_Engine | None" = None


class _Engine:
    """The loaded eSpeak NG library; use only while holding `_engine_lock`."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as exc:
            raise SpeechUnavailable(
                "speech needs the 'espeakng-loader' package (pip install espeakng-loader)"
            ) from exc
        lib_path = espeakng_loader.get_library_path()
        try:
            data_path = espeakng_loader.get_data_path()
            self.lib = ctypes.CDLL(lib_path)
        except (OSError, RuntimeError) as exc:
            # The Windows DLL links MSVCP140.dll, which Python does not ship.
            hint = ""
            if os.name == "nt":
                hint = " (install the Microsoft Visual C++ 2015-2022 Redistributable)"
            raise SpeechUnavailable(f"cannot load eSpeak NG from {lib_path}: {exc}{hint}") from exc

        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
        ]
        lib.espeak_Synth.restype = ctypes.c_int

        # Untested on Windows: fsencode gives UTF-8 there, while eSpeak opens
        # files with the ANSI API, so a non-ASCII install path may fail to load.
        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data_path), _INITIALIZE_DONT_EXIT
        )
        if rate <= 0:
            raise SpeechUnavailable(f"eSpeak NG failed to initialise with data at {data_path}")
        self.sample_rate = rate
        self._chunks: list[bytes] = []
        # Keep a reference: ctypes frees the trampoline when the object dies,
        # and eSpeak would then call into freed memory.
        self._callback = _SYNTH_CALLBACK(self._collect)
        lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, samples, count, _events) -> int:
        if samples and count > 0:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0  # 0 = go on synthesising

    def render(self, text: str, voice: str) -> bytes:
        """Raw 16-bit mono PCM for `text` spoken by `voice`."""
        if self.lib.espeak_SetVoiceByName(voice.encode("ascii")) != _EE_OK:
            raise SpeechUnavailable(f"eSpeak NG has no voice {voice!r}")
        # Set after the voice: choosing a voice may reset the rate.
        self.lib.espeak_SetParameter(_PARAM_RATE, RATE_WPM, 0)
        data = text.encode("utf-8") + b"\0"
        self._chunks = []
        status = self.lib.espeak_Synth(
            data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _ENDPAUSE, None, None
        )
        if status != _EE_OK:
            raise SpeechUnavailable(f"eSpeak NG could not synthesise (error {status})")
        pcm, self._chunks = b"".join(self._chunks), []
        return pcm


def _render(text: str, lang: str) -> bytes:
    """Synthesise `text` to a complete WAV file, bypassing the caches."""
    global _engine
    spoken = spoken_form(text, lang)
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        pcm = _engine.render(spoken, VOICES[lang])
        rate = _engine.sample_rate
    if not pcm:
        raise SpeechUnavailable(f"eSpeak NG produced no audio for {text!r}")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return buffer.getvalue()


# --- caches ---------------------------------------------------------------

#: The disk cache's bound unless ``configure`` says otherwise (QUEUE_SPEECH_CACHE_MB).
DEFAULT_CACHE_BYTES = 50 * 1024 * 1024
# Another process sharing the folder writes files this one does not count: look at
# the folder itself again after this many writes of ours.
_RESCAN_EVERY = 50

_cache_lock = threading.Lock()
_memory: "OrderedDict[tuple[str, str], bytes]" = OrderedDict()
_memory_total = 0
_cache_dir: Path | None = None
_max_bytes = DEFAULT_CACHE_BYTES
#: The disk cache as this process knows it: path -> size, least recently used first.
_disk: "OrderedDict[Path, int]" = OrderedDict()
_disk_total = 0
_writes = 0


def configure(cache_dir: str | os.PathLike[str] | None = None,
              max_bytes: int | None = None) -> None:
    """Set the folder for cached announcement WAVs and its bound; empty the memory cache.

    With None the cache lives in `<system temp>/queue-speech-cache`. The folder
    is created on first write. Files are named by a hash of (lang, text), so
    several displays may share one folder. The folder holds at most `max_bytes`
    (default `DEFAULT_CACHE_BYTES`): the least recently used files go first. The
    memory cache holds at most `MEMORY_ENTRIES` phrases and `max_bytes`.
    """
    global _cache_dir, _max_bytes, _memory_total
    with _cache_lock:
        _cache_dir = Path(cache_dir) if cache_dir is not None else None
        _max_bytes = int(max_bytes) if max_bytes is not None else DEFAULT_CACHE_BYTES
        _memory.clear()
        _memory_total = 0
        _scan()
        _evict()


def cache_limit() -> int:
    """The bound of the disk cache, in bytes."""
    return _max_bytes


def memory_bytes() -> int:
    """Bytes held by the memory cache now."""
    return _memory_total


def _base() -> Path:
    return _cache_dir or Path(tempfile.gettempdir()) / "queue-speech-cache"


def _scan() -> None:
    """Read the folder into `_disk`, oldest use (modification time) first. Lock held."""
    global _disk_total
    found = []
    try:
        with os.scandir(_base()) as entries:
            for entry in entries:
                if entry.name.endswith(".wav") and entry.is_file():
                    info = entry.stat()
                    found.append((info.st_mtime, Path(entry.path), info.st_size))
    except OSError:
        pass  # no folder yet
    found.sort()
    _disk.clear()
    for _, path, size in found:
        _disk[path] = size
    _disk_total = sum(_disk.values())


def _evict() -> None:
    """Remove least recently used files until the folder fits its bound. Lock held."""
    global _disk_total
    while _disk and _disk_total > _max_bytes:
        path, size = _disk.popitem(last=False)
        _disk_total -= size
        try:
            path.unlink()
        except OSError:
            pass  # gone already (another process evicted it)


def _disk_path(lang: str, text: str) -> Path:
    digest = hashlib.sha256(f"{CACHE_VERSION}\0{lang}\0{text}".encode("utf-8")).hexdigest()
    return _base() / f"{lang}-{digest[:32]}.wav"


def _read_disk(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    # A file cut short by a crash or a full disk is ignored and rewritten.
    if not (data[:4] == b"RIFF" and data[8:12] == b"WAVE" and len(data) > 44):
        return None
    _touch(path)
    with _cache_lock:
        if path in _disk:
            _disk.move_to_end(path)
    return data


def _touch(path: Path) -> None:
    try:
        os.utime(path)  # used now: the modification time orders eviction across restarts
    except OSError:
        pass


def _write_disk(path: Path, data: bytes) -> None:
    global _disk_total, _writes
    if len(data) > _max_bytes:
        return  # would not fit at all
    # The cache only saves time: a read-only or full disk must not stop a call.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)  # atomic, so another process never reads half a file
    except OSError as exc:
        log.warning("cannot write speech cache %s: %s", path, exc)
        return
    with _cache_lock:
        _writes += 1
        if _writes % _RESCAN_EVERY == 0:
            _scan()
        else:
            _disk_total += len(data) - _disk.pop(path, 0)
            _disk[path] = len(data)
        _evict()


def _remember(key: tuple[str, str], data: bytes) -> None:
    global _memory_total
    with _cache_lock:
        if key in _memory:
            _memory_total -= len(_memory[key])
        _memory[key] = data
        _memory_total += len(data)
        _memory.move_to_end(key)
        while _memory and (len(_memory) > MEMORY_ENTRIES or _memory_total > _max_bytes):
            _memory_total -= len(_memory.popitem(last=False)[1])


def synthesize(text: str, lang: str) -> bytes:
    """Speak `text` in `lang` ("vi" or "en") and return a complete WAV file.

    Mono, 16-bit, at the engine's sample rate (22050 Hz). Ticket numbers in
    the text are spelled out (see `spoken_form`). Results are cached by
    (lang, text) in memory (LRU) and on disk (LRU, bounded in bytes; see
    `configure`), so repeating a call or a recall costs a dictionary lookup.
    Safe to call from many threads; synthesis itself is serialised.

    Raises SpeechUnavailable if the engine cannot load, ValueError for an
    unsupported language.
    """
    if lang not in VOICES:
        raise ValueError(f"unsupported speech language {lang!r}; use one of {LANGUAGES}")
    key = (lang, text)
    path = _disk_path(lang, text)
    with _cache_lock:
        data = _memory.get(key)
        if data is not None:
            _memory.move_to_end(key)
            on_disk = path in _disk
            if on_disk:
                _disk.move_to_end(path)  # in use: the last file to evict
    if data is not None:
        if on_disk:
            _touch(path)
        return data
    data = _read_disk(path)
    if data is None:
        data = _render(text, lang)
        _write_disk(path, data)
    _remember(key, data)
    return data
