"""Choosing the server for ``queue-server run``.

Flask-SocketIO in threading mode needs a server that hands the raw socket to
simple-websocket: gunicorn's threaded worker (Linux, macOS) or Werkzeug. On
POSIX we run gunicorn in-process with one worker and many threads (one process
keeps Socket.IO rooms in memory; more processes need Redis, see the README). On
Windows, where gunicorn does not run, Werkzeug's threaded server serves with the
debugger and reloader off. See docs/serving.md.
"""
import gc
import os
import sys

#: Python's thread switch interval while serving. Every board has a writer thread
#: woken for each message; at the default 5 ms a woken thread can wait that long for
#: the running one to let go of the interpreter, once per hop. 1 ms cut the load
#: test's p99 call-to-board from 105-119 ms to under 90 ms (docs/serving.md).
SWITCH_INTERVAL_MS = float(os.environ.get("QUEUE_SWITCH_INTERVAL_MS", "1"))


def built(make_app):
    """The app, with everything the start-up made moved out of the garbage collector's sight.

    Modules, templates, translations and the printer profiles are ~95,000 objects that
    live as long as the process; scanning them made each full collection a 50-85 ms
    pause of every thread under the load test. ``gc.freeze()`` leaves them to reference
    counting alone (they are never freed anyway).
    """
    app = make_app()
    gc.collect()
    gc.freeze()
    return app


def serve(make_app, host, port, threads):
    """Serve the app ``make_app()`` builds until interrupted.

    The app is built where it serves: in gunicorn's worker after the fork, so no
    database connection or thread crosses a fork.
    """
    sys.setswitchinterval(SWITCH_INTERVAL_MS / 1000)  # inherited by the worker
    if os.name == "posix":
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError:
            BaseApplication = None
        if BaseApplication is not None:
            return _gunicorn(BaseApplication, make_app, host, port, threads).run()
    from . import socketio

    socketio.run(built(make_app), host=host, port=port, debug=False, use_reloader=False,
                 allow_unsafe_werkzeug=True)


def _gunicorn(base, make_app, host, port, threads):
    class Server(base):
        def load_config(self):
            for key, value in {"bind": f"{host}:{port}", "workers": 1,
                               "worker_class": "gthread", "threads": threads,
                               # above the threads, so idle HTTP keep-alives can wait
                               "worker_connections": threads * 2,
                               "graceful_timeout": 5,
                               "accesslog": None, "errorlog": "-"}.items():
                self.cfg.set(key, value)
            if "control_socket_disable" in self.cfg.settings:
                # gunicorn 25+ opens a control socket at one path per user by default
                # (~/.gunicorn/gunicorn.ctl): instances on one host would share and delete
                # each other's. Nothing here uses it.
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return built(make_app)

    return Server()
