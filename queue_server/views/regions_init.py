"""Registers the screens of issue 19: regions, citizens' feedback, the admin's regions."""


def init_app(app):
    """The regional, feedback and admin-regions blueprints."""
    from . import admin_regions, feedback, regional

    app.register_blueprint(regional.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(admin_regions.bp)
