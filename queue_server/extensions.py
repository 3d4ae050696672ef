"""Flask extensions, created unbound and attached in ``create_app`` (one module both
the factory and the features import, so neither imports the other)."""
from flask_login import LoginManager
from flask_socketio import SocketIO

socketio = SocketIO()
login_manager = LoginManager()
