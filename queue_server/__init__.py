"""The queue server: ``create_app()`` builds the Flask app; extensions live unbound here."""
import os

from flask import Flask
from flask_login import LoginManager
from flask_socketio import SocketIO

import templates

from .config import Config, DemoConfig

socketio = SocketIO()
login_manager = LoginManager()


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

    socketio.init_app(app, async_mode="threading",
                      message_queue=app.config.get("MESSAGE_QUEUE"),
                      channel=app.config["SOCKETIO_CHANNEL"],
                      cors_allowed_origins=app.config.get("CORS_ORIGINS"))
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
    app.register_blueprint(__import__("display").bp)  # also the /display socket handlers
    from .views import public, supervisor; app.register_blueprint(supervisor.bp); app.register_blueprint(public.bp)  # noqa: E702,E501
    from . import supervisor_sockets; supervisor_sockets.init_app(app)  # /supervisor namespace  # noqa: E702
    security.limit_views(app)  # after every blueprint: the per-client rates on their views
    return app
