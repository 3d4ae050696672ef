"""Choosing the server for ``queue-server run``.

Flask-SocketIO in threading mode needs a server that hands the raw socket to
simple-websocket: gunicorn's threaded worker (Linux, macOS) or Werkzeug. On
POSIX we run gunicorn in-process with one worker and many threads (one process
keeps Socket.IO rooms in memory; more processes need Redis, see the README). On
Windows, where gunicorn does not run, Werkzeug's threaded server serves with the
debugger and reloader off. See docs/serving.md.
"""
import os


def serve(make_app, host, port, threads):
    """Serve the app ``make_app()`` builds until interrupted.

    The app is built where it serves: in gunicorn's worker after the fork, so no
    database connection or thread crosses a fork.
    """
    if os.name == "posix":
        try:
            from gunicorn.app.base import BaseApplication
        except ImportError:
            BaseApplication = None
        if BaseApplication is not None:
            return _gunicorn(BaseApplication, make_app, host, port, threads).run()
    from . import socketio

    socketio.run(make_app(), host=host, port=port, debug=False, use_reloader=False,
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

        def load(self):
            return make_app()

    return Server()
