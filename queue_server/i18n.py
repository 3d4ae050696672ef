"""Languages: Vietnamese and English through Flask-Babel.

The language is the user's choice (``?lang=`` remembered in the session), else
(for JSON clients only) the request's Accept-Language, else the office's
default, else Vietnamese. Each feature keeps its own catalogue
folder (listed in TRANSLATION_DIRS); compiled ``.mo`` files are committed
beside their ``.po`` so an installed package needs no build step.
"""
import os

from flask import g, request, session
from flask_babel import Babel

LANGUAGES = ("vi", "en")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATION_DIRS = [os.path.join(ROOT, "queue_server", "translations"),
                    os.path.join(ROOT, "display", "translations"),
                    os.path.join(ROOT, "queue_server", "stats_translations")]

babel = Babel()


def select_locale():
    """The language for this request."""
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        session["lang"] = chosen
        return chosen
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    if _json_client():  # a script says its language in Accept-Language
        asked = request.accept_languages.best_match(LANGUAGES)
        if asked:
            return asked
    office_default = getattr(g, "office_language", None)
    return office_default if office_default in LANGUAGES else "vi"


def _json_client():
    # Only JSON clients: a kiosk or board browser set to English must still show
    # the office's language unless someone picks another.
    return (request.path.startswith("/api/")
            or request.accept_mimetypes.best == "application/json")


def init_app(app):
    """Attach Flask-Babel with our catalogues and locale selector."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(TRANSLATION_DIRS)
    babel.init_app(app, locale_selector=select_locale)
