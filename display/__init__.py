"""Waiting-room boards and counter displays: pages, the ``/display`` socket namespace,
announcement audio and the static files a board runs offline.

``bp`` is registered by ``queue_server.create_app``; importing this package also
registers the socket handlers (``display.sockets``).
"""
import os

from flask import Blueprint

bp = Blueprint("display", __name__, url_prefix="/display",
               static_folder="static", static_url_path="/static")


@bp.record_once
def _configure_speech(state):
    from . import sockets, speech

    sockets.init_app(state.app)  # the /display handlers, on this app's Socket.IO server

    # Announcements are cached beside the app's other files, so a restart
    # does not re-synthesise the day's calls.
    cache = state.app.config.get("SPEECH_CACHE_DIR") or os.path.join(
        state.app.instance_path, "speech-cache")
    megabytes = float(state.app.config.get("SPEECH_CACHE_MB", 50))
    speech.configure(cache, max_bytes=int(megabytes * 1024 * 1024))


from . import sockets, views  # noqa: E402,F401  (register routes and handlers on bp)
