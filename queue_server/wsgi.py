"""The WSGI app for a server started by hand, e.g.
``gunicorn -k queue_server.door.Worker -w 1 -b 127.0.0.1:5000 queue_server.wsgi:app``.

Only a serving process imports this (gunicorn's worker, after it patched the
standard library for gevent): the app is built at import.
"""
from . import create_app
from .serving import built

app = built(create_app)
