"""The Flask app factory; the extensions live unbound in ``extensions``."""
import os

from flask import Flask

import templates

from .config import Config, DemoConfig
from .extensions import socketio


def async_mode():
    """``gevent`` when this process was patched for it (``queue_server.serving``), else
    ``threading`` (the test-suite, one-off commands). Under gevent psycopg2 is made to
    wait through the loop (psycogreen), or each query would stop every connection."""
    try:
        from gevent import monkey
    except ImportError:
        return "threading"
    if not monkey.is_module_patched("socket"):
        return "threading"
    try:
        from psycogreen.gevent import patch_psycopg
    except ImportError:
        pass  # no psycopg2 here, or SQLite only
    else:
        patch_psycopg()
    if os.environ.get("QUEUE_FANOUT_DIRECT", "1") != "0":  # 0: python-engineio's own path
        from . import fanout
        fanout.install()  # one frame per message, written straight to idle boards' sockets
    return "gevent"


def create_app(test_config=None, *, demo=False):
    """Build the app. ``test_config``: a config class or dict that overrides the environment."""
    app = Flask(__name__, template_folder=templates.FOLDER,
                instance_path=os.path.abspath(os.environ.get("QUEUE_INSTANCE", "instance")))
    app.config.from_object(DemoConfig() if demo else Config())
    if isinstance(test_config, dict):
        app.config.update(test_config)
    elif test_config is not None:
        app.config.from_object(test_config() if isinstance(test_config, type) else test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import database_setup
    database_setup.init_app(app)

    from . import message_queue
    socketio.init_app(app, async_mode=async_mode(),
                      client_manager=message_queue.manager_for(app),
                      cors_allowed_origins=app.config.get("CORS_ORIGINS"))
    from . import socket_door
    socket_door.init_app(app)  # Engine.IO sessions: join a namespace in time, key at handshake
    from . import auth, errors_http, events, i18n, printing
    auth.init_app(app)
    printing.init_app(app)
    i18n.init_app(app)
    errors_http.init_app(app)
    events.init_app(app)
    from . import access, security
    security.init_app(app)  # headers, CSRF, rate limits, lockout, secret key check
    access.init_app(app)  # the access table, enforced before every view and socket event

    from .api import bp as api_bp
    app.register_blueprint(api_bp)
    from .views import health
    app.register_blueprint(health.bp)
    from . import housekeeping
    housekeeping.init_app(app)
    # Feature blueprints register below, one line each.
    from .views import screens; screens.init_app(app)  # kiosk, /t, /counter, /rate, /admin
    from . import formatting; formatting.init_app(app)  # |duration, |number filters  # noqa: E702
    app.register_blueprint(__import__("display").bp)  # also the /display socket handlers
    from .views import public, supervisor; app.register_blueprint(supervisor.bp); app.register_blueprint(public.bp)  # noqa: E702,E501
    from . import supervisor_sockets; supervisor_sockets.init_app(app)  # /supervisor namespace  # noqa: E702
    from .views import booking, join; booking.init_app(app); join.init_app(app)  # /book, /join  # noqa: E702,E501
    from .views import regions_init; regions_init.init_app(app)  # regions, feedback (issue 19)
    security.limit_views(app)  # after every blueprint: the per-client rates on their views
    from . import server_lock
    server_lock.hold(app)  # one serving process per database without a message queue
    security.add_headers(app)  # outermost WSGI layer: Socket.IO's own answers get them too
    return app
