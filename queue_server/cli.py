"""The ``queue-server`` command: run, migrate, create-user, demo."""
import sys

import click

from .db import db


def _app(demo=False, **overrides):
    """An app for a one-off command: no background threads, no printing resumed."""
    from . import create_app

    return create_app({"HOUSEKEEPING": False, "PRINT_RESUME": False, "SERVER_LOCK": False,
                       **overrides}, demo=demo)


@click.group()
def main():
    """Queue-ticket server for public-service counters."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="Seed the demo office (and its demo accounts) "
                                           "when the database is empty.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Serving processes, on ports PORT .. PORT+N-1 for nginx in front; "
                   "more than one needs QUEUE_MESSAGE_QUEUE (Redis).")
def run(host, port, demo, workers):
    """Serve the app for a whole working day (gevent: gunicorn, or gevent's server on Windows)."""
    # This app only checks the set-up and seeds; the serving processes build their
    # own, after patching the standard library for gevent (queue_server.serving).
    app = _app(demo=demo)
    if workers > 1 and not app.config.get("MESSAGE_QUEUE"):
        raise click.ClickException(
            f"--workers {workers} needs a message queue to join the processes: set "
            "QUEUE_MESSAGE_QUEUE=redis://127.0.0.1:6379/0 (docs/scale-out.md), or serve "
            "with one worker.")
    if not app.config.get("SECRET_KEY"):
        raise click.ClickException(
            "QUEUE_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_hex(32))'), "
            "or try the demo with 'queue-server run --demo'.")
    click.echo(f"Database: {app.config['DATABASE_URL']}")
    if demo:
        from .demo import DEMO_PASSWORD, DEMO_USERS, seed_demo

        with db.connection_context():
            seeded = seed_demo()
        click.echo("Demo office " + ("created." if seeded else "already present."))
        click.echo(f"Demo accounts (password '{DEMO_PASSWORD}'): {', '.join(DEMO_USERS)}")
    click.echo(f"Serving on http://{host}:{port}  (Ctrl+C stops)")
    app.extensions["printing"].stop()
    db.close_all()
    from .serving import serve

    serve(host, port, workers, demo)


@main.command()
def migrate():
    """Apply pending schema migrations."""
    from .database_setup import migrate as run_migrations

    app = _app(AUTO_MIGRATE=False)
    with app.app_context(), db.connection_context():
        applied = run_migrations()
    click.echo("Applied: " + (", ".join(applied) if applied else "nothing, up to date."))


@main.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["clerk", "supervisor", "admin", "regional"]),
              required=True)
@click.option("--office", type=int, default=None, help="Office id (staff act only there).")
@click.option("--region", type=int, default=None, help="Region id (a regional user's).")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user(username, role, office, region, password):
    """Create a user account."""
    from .engine import accounts, offices, regions
    from .errors import QueueError

    _app()
    with db.connection_context():
        try:
            home = offices.get_office(office) if office else None
            area = regions.get_region(region) if region else None
            accounts.create_user(username, password, role, office=home, region=area)
        except QueueError as exc:
            raise click.ClickException(exc.message) from None
    click.echo(f"Created {role} {username}.")


@main.command()
def demo():
    """Seed the demo office into an empty database."""
    from .demo import DEMO_PASSWORD, DEMO_USERS, seed_demo

    _app(demo=True)
    with db.connection_context():
        if not seed_demo():
            click.echo("The database already has an office; nothing seeded.")
            return
    click.echo(f"Demo office created. Accounts (password '{DEMO_PASSWORD}'): "
               + ", ".join(DEMO_USERS))


@main.command()
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--tickets", "n_tickets", default=800, show_default=True, type=int)
@click.option("--counters", "n_counters", default=4, show_default=True, type=int)
@click.option("--bookings", "booked_share", default=0.0, show_default=True, type=float,
              help="also a day on which this share of services A and B's citizens booked "
                   "a slot, the walk-ins' estimate measured with and without bookings")
def simulate(seed, n_tickets, n_counters, booked_share):
    """Replay a simulated busy day through the engine and report the estimate's error."""
    import tempfile

    from .engine import simulate as simulation

    folder = tempfile.mkdtemp(prefix="queue-simulate-")
    _app(DATABASE_URL=f"sqlite:///{folder}/simulation.db")
    with db.connection_context():
        result = simulation.run(seed=seed, n_tickets=n_tickets, n_counters=n_counters)
    for name, value in result.items():
        click.echo(f"{name}: {value}")
    if booked_share > 0:
        _simulate_bookings(seed, n_tickets, n_counters, booked_share)


def _simulate_bookings(seed, n_tickets, n_counters, share):
    from .engine import simulate_bookings

    for correct, title in ((True, "estimate counting bookings"),
                           (False, "estimate not counting bookings")):
        with db.connection_context():
            result = simulate_bookings.run(seed=seed, n_tickets=n_tickets,
                                           n_counters=n_counters, share=share, correct=correct)
        click.echo(f"day with bookings ({share:.0%} of A and B booked), {title}:")
        for group in ("walk_ins", "booked"):
            for name, value in result[group].items():
                click.echo(f"  {group}.{name}: {value}")
        click.echo(f"  bookings: {result['bookings']}, booked no-shows: "
                   f"{result['booked_no_shows']}")


@main.command()
@click.argument("destination", type=click.Path(dir_okay=False, writable=True))
def backup(destination):
    """Copy the live SQLite database to DESTINATION, consistently, while it serves."""
    import os
    import sqlite3

    app = _app(AUTO_MIGRATE=False)
    url = app.config["DATABASE_URL"]
    if not url.startswith("sqlite:"):
        raise click.ClickException("This database is not SQLite: back up PostgreSQL with "
                                   "pg_dump (see the README).")
    source_path = db.obj.database
    if os.path.abspath(destination) == os.path.abspath(source_path):
        raise click.ClickException("The destination is the live database itself.")
    if os.path.exists(destination):
        raise click.ClickException(f"{destination} exists; choose a new file name.")
    source, target = sqlite3.connect(source_path), sqlite3.connect(destination)

    def progress(status, remaining, total):
        click.echo(f"\r{100 * (total - remaining) // max(total, 1):3d}% copied", nl=False)

    try:
        # SQLite's online backup API: a consistent snapshot even while clerks write.
        with target:
            source.backup(target, pages=256, progress=progress)
    finally:
        source.close()
        target.close()
    click.echo(f"\nBacked up {source_path} to {destination}.")


if __name__ == "__main__":
    sys.exit(main())
