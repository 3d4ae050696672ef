"""Generate display/static/audio/chime.wav, the "ding-dong" played before a call.

Stdlib only (wave, math, struct) so anyone can regenerate the file without
installing audio tools. Run: python display/audio/make_chime.py [out.wav]
"""

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 22050
DURATION = 0.8
# A falling major third (E5 then C5) is the classic public-address "ding-dong":
# it reads as "attention" without sounding like an alarm.
NOTES = [(659.25, 0.00), (523.25, 0.30)]  # (frequency Hz, start seconds)
# A few soft partials make it sound like a struck bell rather than a test tone.
PARTIALS = [(1.0, 1.0), (2.0, 0.35), (3.0, 0.12)]  # (frequency ratio, amplitude)
DECAY = 5.0  # 1/s: the first note has faded to ~22% when the second strikes
ATTACK = 0.005  # s: a short ramp avoids the click of starting at full level
PEAK = 0.6  # of full scale, leaving headroom when two notes overlap


def note_sample(freq: float, t: float) -> float:
    """One bell-like note at time t (seconds since the note struck)."""
    if t < 0:
        return 0.0
    envelope = math.exp(-DECAY * t) * min(1.0, t / ATTACK)
    return envelope * sum(
        amp * math.sin(2 * math.pi * freq * ratio * t) for ratio, amp in PARTIALS
    )


def chime_samples() -> list[int]:
    """The chime as signed 16-bit samples, normalised to PEAK of full scale."""
    count = int(RATE * DURATION)
    raw = []
    for i in range(count):
        t = i / RATE
        value = sum(note_sample(freq, t - start) for freq, start in NOTES)
        # Fade the last 50 ms to zero so the file never ends on a click.
        raw.append(value * min(1.0, (DURATION - t) / 0.05))
    scale = PEAK * 32767 / max(abs(v) for v in raw)
    return [int(round(v * scale)) for v in raw]


def write_chime(path: Path) -> None:
    """Write the chime as a mono 16-bit WAV at RATE Hz."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        samples = chime_samples()
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "static" / "audio" / "chime.wav"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    write_chime(target)
    print(f"wrote {target}")
