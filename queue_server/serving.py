"""Serving on an event loop: ``queue-server run`` and ``python -m queue_server.serving``.

Flask-SocketIO in gevent mode: every board, console and phone is a greenlet, not an
OS thread, so a hall full of idle sockets costs memory, not threads (docs/serving.md).
On POSIX, gunicorn with ``queue_server.door.Worker`` (gunicorn's gevent worker with
limits at the door); on Windows, where gunicorn does not run, gevent's own WSGI
server. ``--workers N``: N such processes on consecutive ports, for nginx in front.

``queue-server run`` checks the set-up in its own process, then replaces itself with
``python -m queue_server.serving`` (``os.execv``): the standard library must be patched
for gevent before Flask, peewee or redis are imported, and the checking process has
imported them all. Importing this module imports none of them.
"""
import gc
import os
import sys


def built(make_app):
    """The app, with everything the start-up made moved out of the garbage collector's sight.

    Modules, templates, translations and the printer profiles are ~95,000 objects that
    live as long as the process; scanning them made each full collection a 50-85 ms
    pause of every connection under the load test. ``gc.freeze()`` leaves them to
    reference counting alone (they are never freed anyway).
    """
    app = make_app()
    gc.collect()
    gc.freeze()
    from .extensions import socketio

    if socketio.async_mode == "gevent":
        from . import loop_monitor

        loop_monitor.start()
    return app


def serve(host, port, workers=1, demo=False):
    """Replace this process with the serving one (never returns)."""
    args = [sys.executable, "-m", "queue_server.serving", "--host", host, "--port", str(port),
            "--workers", str(workers)] + (["--demo"] if demo else [])
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(sys.executable, args)
    import subprocess  # Windows: execv does not keep the console; wait for the child

    raise SystemExit(subprocess.call(args))


def _make(demo):
    def make():
        from . import create_app

        return create_app(demo=demo)
    return make


def _gunicorn(host, port, demo):
    from gunicorn.app.base import BaseApplication

    from . import door

    class Server(BaseApplication):
        def load_config(self):
            for key, value in door.gunicorn_settings(host, port).items():
                if key in self.cfg.settings:
                    self.cfg.set(key, value)

        def load(self):
            return built(_make(demo))

    Server().run()


def _pywsgi(host, port, demo):
    from gevent import monkey

    monkey.patch_all()
    from gevent.pywsgi import WSGIServer

    app = built(_make(demo))
    print(f"Serving on http://{host}:{port} (gevent)", flush=True)
    WSGIServer((host, port), app, log=None).serve_forever()


def _several(args):
    """``--workers N``: N serving processes on ports ``port`` .. ``port + N - 1``, stopped
    together. Not N workers of one gunicorn on one port: Socket.IO's polling transport
    must reach the process holding its session, which a shared port cannot promise
    (9 of 10 polling connections failed, "Invalid session"); nginx with ``ip_hash`` in
    front of the ports is (docs/scale-out.md)."""
    import signal
    import subprocess

    children = [subprocess.Popen(
        [sys.executable, "-m", "queue_server.serving", "--host", args.host,
         "--port", str(args.port + i), "--workers", "1"]
        + (["--demo"] if args.demo and i == 0 else [])) for i in range(args.workers)]
    print(f"{args.workers} processes on http://{args.host}:{args.port}-{args.port + args.workers - 1}"
          f"; put nginx with ip_hash in front of them (docs/scale-out.md)", flush=True)

    def stop(signum, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    codes = [child.wait() for child in children]
    raise SystemExit(max(codes))


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m queue_server.serving")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--demo", action="store_true")
    args = parser.parse_args(argv)
    if args.workers > 1:
        _several(args)
    elif os.name == "posix":
        _gunicorn(args.host, args.port, args.demo)
    else:
        _pywsgi(args.host, args.port, args.demo)


if __name__ == "__main__":
    main()
