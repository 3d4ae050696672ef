"""The queue server. ``create_app()`` (``queue_server.app``) builds the Flask app.

Importing the package imports nothing else: ``queue-server run`` starts its
serving processes with ``python -m queue_server.serving``, which must patch the
standard library for gevent before Flask, peewee or redis are imported.
"""


def create_app(test_config=None, *, demo=False):
    """Build the app (``queue_server.app.create_app``)."""
    from .app import create_app as build

    return build(test_config, demo=demo)


def __getattr__(name):
    if name in ("socketio", "login_manager"):
        from . import extensions

        return getattr(extensions, name)
    raise AttributeError(f"module 'queue_server' has no attribute {name!r}")
