"""Board and counter-display pages, rendered with the current state, and call speech.

The pages work before any script runs (a snapshot rendered server-side); then
``board.js`` / ``counter.js`` keep them live over the ``/display`` namespace.
"""
import re

from flask import Response, render_template, request
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l

from queue_server import off_loop
from queue_server.auth import PUBLIC, access
from queue_server.engine import boards, calling, counters, offices
from queue_server.engine.clock import local
from queue_server.errors import NotFound, QueueError
from queue_server.models import utcnow

from . import bp, speech

# A ticket number as printed: a short letter prefix, optional dash, digits.
_NUMBER = re.compile(r"^[A-Za-z]{1,3}-?\d{1,6}$")


#: The board's labels; with two languages each is shown in both (``labels``).
LABELS = {"number": _l("Number"), "counter": _l("Counter"), "waiting": _l("Waiting"),
          "recent": _l("Recent calls"), "empty": _l("Waiting for the next call")}
#: The TV's diagonal in inches when the address does not say (``?inches=``): the
#: smaller common size, so type sized for 5 m is never too small.
INCHES_DEFAULT = 32


def labels(langs):
    """{key: [text in langs[0], text in langs[1]?]}: the labels in the board's languages."""
    out = {key: [] for key in LABELS}
    for lang in langs[:2]:
        with force_locale(lang):
            for key, text in LABELS.items():
                out[key].append(str(text))
    return out


def _inches():
    value = request.args.get("inches", "")
    return int(value) if value.isdigit() and 15 <= int(value) <= 120 else INCHES_DEFAULT


def _recent():
    value = request.args.get("recent", "")
    if value.isdigit() and int(value) <= boards.RECENT_MAX:
        return int(value)
    return boards.RECENT


def _page_options(office):
    langs = boards.announce_languages(office, request.args.get("lang"))
    return {"langs": langs, "voice": request.args.get("voice", "on") != "off",
            "key": request.args.get("key", ""), "inches": _inches()}


@bp.get("/<int:office_id>")
@access(PUBLIC)
def board(office_id):
    """The waiting-room board of an office, or of one zone with ``?zone=``."""
    office = offices.get_office(office_id)
    options = _page_options(office)
    boards.check_display_key(office, options["key"])
    zone = boards.get_zone(office, request.args.get("zone"))
    recent = _recent()
    state = boards.snapshot(office, zone, recent)
    now = local(office, utcnow())
    with force_locale(options["langs"][0]):
        return render_template("display/board.html", state=state, recent=recent,
                               clock=now.strftime("%H:%M"), labels=labels(options["langs"]),
                               date=format_date(now.date(), "EEEE, dd/MM/yyyy"),
                               day=now.date().isoformat(),
                               lang=options["langs"][0], **options)


@bp.get("/counter/<int:counter_id>")
@access(PUBLIC)
def counter(counter_id):
    """The display above one counter: the number it serves, or that it is closed."""
    desk = counters.get_counter(counter_id)
    options = _page_options(desk.office)
    boards.check_display_key(desk.office, options["key"])
    state = boards.counter_snapshot(desk)
    with force_locale(options["langs"][0]):
        return render_template("display/counter.html", state=state,
                               lang=options["langs"][0], **options)


@bp.get("/speech/<language>/<number>/<int:counter>.wav")
@access(PUBLIC)
def announcement(language, number, counter):
    """The spoken call "Mời số A023 đến quầy số 3" as ``audio/wav`` (synthesised offline)."""
    if language not in speech.LANGUAGES or not _NUMBER.match(number) or counter > 9999:
        raise NotFound("No announcement for that language, number or counter.")
    # Only calls that happened: made-up URLs must not fill the cache (or the CPU).
    if not calling.was_called_today(number.upper(), counter):
        raise NotFound("No such call today.")
    text = speech.announcement_text(number.upper(), counter, language)
    try:
        wav = off_loop.run(speech.synthesize, text, language)  # espeak-ng: off the loop
    except speech.SpeechUnavailable as exc:
        # The board then plays the chime alone; the call itself is unaffected.
        raise QueueError(str(exc), code="speech_unavailable", status=503) from None
    response = Response(wav, mimetype="audio/wav")
    # The same call always sounds the same: let the board's browser keep it.
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response
