"""Time every statistics report over a year of a busy office: 1,000,000 tickets on SQLite.

    python bench/bench_reports.py [--tickets 1000000] [--db /tmp/stats-bench.db] [--keep]
                                  [--from-tickets]

Tickets are bulk-inserted (executemany, big transactions) with realistic
durations, statuses and ratings; the closed months are then summed as the
housekeeping does (engine/stats/rollup.py, timed), and each report is run a few
times and the best and worst times are printed. ``--from-tickets`` leaves the
months unsummed: every report reads the tickets. Figures go to docs/benchmarks.md.
"""
import argparse
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from queue_server.database_setup import migrate  # noqa: E402
from queue_server.db import db, open_database  # noqa: E402
from queue_server.demo import seed_demo  # noqa: E402
from queue_server.engine import counters as counter_engine  # noqa: E402
from queue_server.models import Counter, Office, Service, User  # noqa: E402

FIRST = date(2024, 1, 1)
COLUMNS = ("office_id, service_id, day, sequence, number, priority, status, issued_at, "
           "called_at, started_at, finished_at, counter_id, clerk_id, recall_count, source, "
           "token, wait_s, service_s, hour, estimated_wait_s")
STATUSES = (("done", 0.86), ("no_show", 0.05), ("cancelled", 0.03), ("transferred", 0.03),
            ("expired", 0.03))


def setup_office(counters=12):
    """The demo office grown to ``counters`` counters, each with its own clerk."""
    seed_demo()
    office = Office.get()
    services = list(Service.select().order_by(Service.code))
    for number in range(5, counters + 1):
        c = Counter.create(office=office, number=number, name=f"Quầy {number}")
        counter_engine.set_services(c, [services[number % 4], services[(number + 1) % 4]])
    clerks = list(User.select().where(User.role == "clerk"))
    for number in range(len(clerks) + 1, counters + 1):
        # A precomputed hash: 8 scrypt rounds would dominate a small run.
        clerks.append(User.create(username=f"clerk{number}", password_hash="!", role="clerk",
                                  office=office, full_name=f"Clerk {number}"))
    return office, services, list(Counter.select().order_by(Counter.number)), clerks


def _stats_indexes():
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "queue_server", "migrations", "0005_stats_indexes.py")
    spec = importlib.util.spec_from_file_location("stats_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._indexes()


def generate(total, office, services, counters, clerks, seed=7):
    """Insert ``total`` tickets over a year of weekdays; returns (first, last day, seconds)."""
    rnd = random.Random(seed)
    workdays = [FIRST + timedelta(days=i) for i in range(366)
                if (FIRST + timedelta(days=i)).weekday() < 5]
    per_day = total // len(workdays) + 1
    sql_t = f"INSERT INTO ticket ({COLUMNS}) VALUES ({', '.join(['?'] * 20)})"
    started = time.perf_counter()
    made, ticket_id, ratings = 0, 0, []
    statuses, weights = zip(*STATUSES)
    # Bulk load without the statistics indexes, then build them once (much faster).
    for name, _ in _stats_indexes():
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    db.execute_sql("PRAGMA synchronous = OFF")
    db.execute_sql("PRAGMA cache_size = -400000")
    batch = []
    for day in workdays:
        rows = []
        opening = datetime(day.year, day.month, day.day, 0, 30)  # 07:30 local (UTC+7)
        seqs = dict.fromkeys(s.id for s in services)
        for i in range(min(per_day, total - made)):
            service = services[rnd.randrange(4)]
            seqs[service.id] = (seqs[service.id] or 0) + 1
            issued = opening + timedelta(seconds=rnd.uniform(0, 9 * 3600))
            status = rnd.choices(statuses, weights)[0]
            wait = int(rnd.expovariate(1 / 600)) if status != "cancelled" else None
            if status == "expired" and rnd.random() < 0.5:
                wait = None
            k = rnd.randrange(len(counters))
            called = issued + timedelta(seconds=wait) if wait is not None else None
            service_s = int(rnd.lognormvariate(5.5, 0.5)) if status == "done" else None
            started_at = called + timedelta(seconds=20) if service_s is not None else None
            finished = started_at + timedelta(seconds=service_s) if service_s else None
            ticket_id += 1
            rows.append((office.id, service.id, day.isoformat(), seqs[service.id],
                         f"{service.prefix}{seqs[service.id]:03d}", 0, status,
                         issued.isoformat(" "), called and called.isoformat(" "),
                         started_at and started_at.isoformat(" "),
                         finished and finished.isoformat(" "),
                         counters[k].id if called else None, clerks[k % len(clerks)].id
                         if called else None, 0, "kiosk", f"bench{ticket_id}", wait,
                         service_s, (issued.hour + 7) % 24, 600))
            if status == "done" and rnd.random() < 0.3:
                ratings.append((ticket_id, counters[k].id, clerks[k % len(clerks)].id,
                                rnd.choices((1, 2, 3, 4), (1, 2, 6, 8))[0], "",
                                finished.isoformat(" ")))
        batch += rows
        made += len(rows)
        if len(batch) > 100_000 or made >= total:
            with db.atomic():
                db.cursor().executemany(sql_t, batch)
            batch = []
        if made >= total:
            break
    with db.atomic():
        db.cursor().executemany(
            "INSERT INTO rating (ticket_id, counter_id, clerk_id, score, comment, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)", ratings)
    for name, columns in _stats_indexes():
        table = "rating" if name.startswith("rating") else "ticket"
        db.execute_sql(f'CREATE INDEX "{name}" ON "{table}" ({", ".join(columns)})')
    return workdays[0], day, time.perf_counter() - started, len(ratings)


def timed(fn, repeat=3):
    """(best, worst) seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), max(times)


def reports(office, first, last):
    """(name, callable) of every report the supervisor pages and API serve."""
    from queue_server.engine import stats

    month = (date(2024, 6, 1), date(2024, 6, 30))
    out = [(f"report {g}, whole year", lambda g=g: stats.report(office, first, last, g))
           for g in stats.GROUPS]
    out += [(f"report {g}, one month", lambda g=g: stats.report(office, *month, g))
            for g in stats.GROUPS]
    out.append(("summary, whole year", lambda: stats.summary(office, first, last)))
    out += extra_reports(office, first, last)
    return out


def extra_reports(office, first, last):
    """Dashboard, public page and staffing, when those modules are present."""
    out = []
    try:
        from queue_server.engine.stats import live, public
        out.append(("live dashboard snapshot", lambda: live.snapshot(office, at=_at(last))))
        out.append(("public page figures", lambda: public.figures(office, at=_at(last))))
    except ImportError:
        pass
    try:
        from queue_server.engine import staffing
        out.append(("staffing advice, 4 weeks", lambda: staffing.advice(office, last)))
    except ImportError:
        pass
    return out


def http_reports(path, first, last):
    """(name, callable) of the supervisor's report page, the API and the downloads, each
    a whole year, through the app (Flask's test client: no network, all the rest)."""
    from queue_server import create_app
    from queue_server.config import TestConfig

    config = TestConfig()
    app = create_app({**{k: getattr(config, k) for k in dir(config) if k.isupper()},
                      "DATABASE_URL": f"sqlite:///{path}", "AUTO_MIGRATE": False})
    client = app.test_client()
    answer = client.post("/api/v1/auth/token", json={"username": "supervisor",
                                                      "password": "demo"})
    headers = {"Authorization": "Bearer " + answer.json["token"]}
    client.post("/login", data={"username": "supervisor", "password": "demo"})
    year = f"from={first}&to={last}"

    def get(url, **kw):
        def run():
            response = client.get(url, **kw)
            assert response.status_code == 200, (url, response.status_code)
        return run

    return [("report page (service), year", get(f"/supervisor/reports?{year}&group=service")),
            ("report page (day), year", get(f"/supervisor/reports?{year}&group=day")),
            ("API /stats/report, year", get(f"/api/v1/stats/report?{year}", headers=headers)),
            ("API /stats/summary, year", get(f"/api/v1/stats/summary?{year}",
                                             headers=headers)),
            ("CSV download, year", get(f"/supervisor/reports.csv?{year}")),
            ("XLSX download, year", get(f"/supervisor/reports.xlsx?{year}"))]


def _at(day):
    return datetime(day.year, day.month, day.day, 8, 0)  # 15:00 local


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("--keep", action="store_true", help="reuse/keep the database file")
    parser.add_argument("--from-tickets", action="store_true",
                        help="do not sum closed months: reports read every ticket")
    args = parser.parse_args()
    path = args.db or os.path.join(tempfile.mkdtemp(), "stats-bench.db")
    fresh = not (args.keep and os.path.exists(path))
    open_database(f"sqlite:///{path}")
    db.connect(reuse_if_open=True)
    migrate()
    if fresh:
        office, services, counters, clerks = setup_office()
        first, last, seconds, rated = generate(args.tickets, office, services, counters, clerks)
        print(f"generated {args.tickets:,} tickets and {rated:,} ratings in {seconds:.1f} s")
        db.execute_sql("ANALYZE")
    office = Office.get()
    from queue_server.engine.stats import rollup

    for table in rollup.TABLES:
        db.execute_sql(f"DELETE FROM {table}")
    if not args.from_tickets:
        # As the housekeeping does it, pausing between groupings: the longest stretch
        # between two pauses is how long a serving process is held.
        marks = [time.perf_counter()]
        months = rollup.build_due(pause=lambda: marks.append(time.perf_counter()))
        seconds = marks[-1] - marks[0]
        longest = max(b - a for a, b in zip(marks, marks[1:])) if len(marks) > 1 else 0
        full = db.execute_sql("SELECT COUNT(*) FROM stats_day").fetchone()[0] and \
            db.execute_sql("SELECT COUNT(DISTINCT month) FROM stats_day").fetchone()[0]
        print(f"summed {months} settled months ({full} with tickets) in {seconds:.1f} s; "
              f"longest hold between pauses {longest:.3f} s; load {os.getloadavg()[0]:.2f}")
    first, last = db.execute_sql("SELECT MIN(day), MAX(day) FROM ticket").fetchone()
    first, last = date.fromisoformat(str(first)), date.fromisoformat(str(last))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"SQLite {db.execute_sql('select sqlite_version()').fetchone()[0]}, {path}")
    print(f"{'report':40} {'best s':>8} {'worst s':>8}  load")
    for name, fn in reports(office, first, last) + http_reports(path, first, last):
        best, worst = timed(fn)
        print(f"{name:40} {best:8.3f} {worst:8.3f}  {os.getloadavg()[0]:.2f}", flush=True)
    db.close()
    if not args.keep:
        os.remove(path)


if __name__ == "__main__":
    main()
