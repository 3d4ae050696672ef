"""A region of 100 offices with a year of history on PostgreSQL: the overview and the
comparison, timed.

    python bench/bench_region.py [--offices 100] [--per-day 270] [--days 365]
                                 [--db bench_region_19] [--reuse] [--drop]

Generates (unless ``--reuse`` finds it) a database of ``offices`` offices in one region,
4 services and 6 counters each, ``per-day`` tickets per office and weekday (on
average; offices differ) over the ``days`` before today, plus today's tickets, with
``INSERT ... SELECT`` over ``generate_series`` (indexes dropped during the load, then
rebuilt; foreign-key triggers off for the load). Ratings are written to
``ticket.rating`` directly (reports read that column). Then it times, with the load
average beside each figure:

- the overview of the region (engine, JSON API, HTML page): target < 200 ms;
- how soon a new ticket shows in the overview as the page sees it (polled every
  second, as static/regional/overview.js does): target < 2 s;
- the comparison of the region's offices over a month (engine, API, CSV, XLSX):
  target < 1 s.

``--drop`` drops the database at the end. Figures go to docs/benchmarks.md.
"""
import argparse
import os
import statistics
import sys
import threading
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SERVER = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
CODES = (("A", "Hộ tịch", 15), ("B", "Chứng thực", 20), ("C", "Đất đai", 30),
         ("D", "Lao động", 10))
COUNTERS = 6


def admin(*statements):
    import psycopg2

    conn = psycopg2.connect(f"{SERVER}/postgres", connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
        out = cur.fetchall() if cur.description else None
    conn.close()
    return out


def app_for(name):
    from queue_server import create_app
    from queue_server.config import TestConfig

    config = TestConfig()
    values = {k: getattr(config, k) for k in dir(config) if k.isupper()}
    return create_app({**values, "DATABASE_URL": f"{SERVER}/{name}"})


def seed(offices):
    """The region, its offices, services, counters (4 of 6 staffed) and clerks."""
    from queue_server.engine import regions
    from queue_server.engine.accounts import create_user
    from queue_server.models import Counter, CounterService, Office, Service, User

    region = regions.save_region(name="Tỉnh Bắc Giang")
    for i in range(1, offices + 1):
        office = Office.create(name=f"UBND phường {i:03d}", region=region, public_stats=True,
                               feedback_promise_h=72)
        services = [Service.create(office=office, code=c, prefix=c, name_vi=n,
                                   name_en=n, target_wait_min=t) for c, n, t in CODES]
        for number in range(1, COUNTERS + 1):
            clerk = User.create(username=f"clerk{i}-{number}", password_hash="!", role="clerk",
                                office=office)
            counter = Counter.create(office=office, number=number, name=f"Quầy {number}",
                                     clerk=clerk if number <= 4 else None)
            CounterService.create(counter=counter, service=services[number % 4], position=0)
    create_user("tinh", "bench-password", "regional", region=region)
    return region


LOAD = """
INSERT INTO ticket (office_id, service_id, day, sequence, number, priority, status, issued_at,
  called_at, started_at, finished_at, counter_id, clerk_id, recall_count, source, token,
  wait_s, service_s, hour, estimated_wait_s, rating)
SELECT office_id, service0 + si, day, n, chr(65 + si) || lpad(n::text, 3, '0'), false, status,
  issued, CASE WHEN wait IS NOT NULL THEN issued + wait * interval '1 second' END,
  CASE WHEN status = 'done' THEN issued + (wait + 20) * interval '1 second' END,
  CASE WHEN status = 'done' THEN issued + (wait + 20 + svc) * interval '1 second' END,
  CASE WHEN wait IS NOT NULL THEN counter0 + k END,
  CASE WHEN wait IS NOT NULL THEN clerk0 + k END, 0, 'kiosk',
  'b' || office_id || '-' || day || '-' || n, wait,
  CASE WHEN status = 'done' THEN svc END, (extract(hour from issued)::int + 7) %% 24, 600,
  CASE WHEN status = 'done' AND r_rate < 0.3 THEN
    CASE WHEN r_rate < 0.02 THEN 1 WHEN r_rate < 0.06 THEN 2 WHEN r_rate < 0.17 THEN 3
    ELSE 4 END END
FROM (
  SELECT *, CASE WHEN status = 'cancelled' OR (status = 'expired' AND r_wait < 0.5) THEN NULL
                 ELSE floor(-ln(1 - r_wait) * 600 * (0.6 + (office_id %% 7) * 0.15))::int
            END AS wait,
         60 + floor(r_svc * r_svc * 900)::int AS svc
  FROM (
    SELECT m.office_id, m.service0, m.counter0, m.clerk0, d::date AS day, g AS n,
           floor(random() * 4)::int AS si, floor(random() * 6)::int AS k,
           random() AS r_wait, random() AS r_svc, random() AS r_rate,
           d::timestamp + interval '30 minutes' + random() * interval '9 hours' AS issued,
           CASE WHEN s < 0.86 THEN 'done' WHEN s < 0.91 THEN 'no_show'
                WHEN s < 0.94 THEN 'cancelled' WHEN s < 0.97 THEN 'transferred'
                ELSE 'expired' END AS status
    FROM bench_map m
    CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') d
    CROSS JOIN LATERAL generate_series(1, (%(per_day)s * (0.6 + (m.office_id %% 5) * 0.2))::int) g
    CROSS JOIN LATERAL (SELECT random() AS s) r
    WHERE extract(isodow from d) < 6
  ) raw
) drawn
"""

TODAY = """
UPDATE ticket SET status = 'waiting', called_at = NULL, started_at = NULL, finished_at = NULL,
  counter_id = NULL, clerk_id = NULL, wait_s = NULL, service_s = NULL, rating = NULL,
  issued_at = %(now)s::timestamp - (n_left * interval '50 seconds')
FROM (SELECT id AS tid, row_number() OVER (PARTITION BY office_id ORDER BY issued_at DESC)
      AS n_left, office_id AS oid FROM ticket WHERE day = %(today)s) last
WHERE ticket.id = last.tid AND last.n_left <= (last.oid %% 13)
"""


def generate(per_day, days, today):
    """Bulk-load the history; returns (tickets, seconds)."""
    from queue_server.db import db

    started = time.perf_counter()
    db.execute_sql("CREATE TABLE bench_map AS SELECT o.id AS office_id, "
                   "(SELECT MIN(id) FROM service s WHERE s.office_id = o.id) AS service0, "
                   "(SELECT MIN(id) FROM counter c WHERE c.office_id = o.id) AS counter0, "
                   "(SELECT MIN(clerk_id) FROM counter c WHERE c.office_id = o.id) AS clerk0 "
                   "FROM office o")
    indexes = db.execute_sql("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                             "'ticket' AND indexname <> 'ticket_pkey'").fetchall()
    for name, _ in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    db.execute_sql("SET session_replication_role = replica")  # no FK or rating triggers
    first = today - timedelta(days=days)
    chunk = first
    while chunk <= today:
        last = min(chunk + timedelta(days=30), today)
        with db.atomic():
            db.cursor().execute(LOAD, {"first": chunk.isoformat(), "last": last.isoformat(),
                                       "per_day": per_day})
        n = db.execute_sql("SELECT COUNT(*) FROM ticket").fetchone()[0]
        print(f"  {last}: {n:,} tickets, {time.perf_counter() - started:.0f} s", flush=True)
        chunk = last + timedelta(days=1)
    db.execute_sql("SET session_replication_role = DEFAULT")
    load_s = time.perf_counter() - started
    db.execute_sql("SET maintenance_work_mem = '1GB'")
    for name, definition in indexes:
        db.execute_sql(definition)
    print(f"  indexes rebuilt: {time.perf_counter() - started - load_s:.0f} s", flush=True)
    db.execute_sql("DROP TABLE bench_map")
    return n, time.perf_counter() - started


def make_today(today):
    """Today's tickets: the latest of each office still waiting (0-12 per office)."""
    from queue_server.db import db

    with db.atomic():
        db.cursor().execute(TODAY, {"now": datetime.utcnow().isoformat(" "),
                                    "today": today.isoformat()})


def timed(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times), max(times)


def load():
    return "%.2f" % os.getloadavg()[0]


def report(name, best, median, worst, target=None):
    mark = "" if target is None else ("  (target < %g s: %s)" % (
        target, "met" if median < target else "MISSED"))
    print(f"{name:48} {best * 1000:8.1f} {median * 1000:8.1f} {worst * 1000:8.1f} ms"
          f"  load {load()}{mark}", flush=True)


def polled_latency(client, headers, region, office, changes=5, every_s=1.0):
    """Seconds from a committed ticket to the first overview poll that shows it, as the
    page polls (every ``every_s``, each poll taking what the API takes)."""
    from queue_server.engine import tickets

    seen, lock = {}, threading.Lock()
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            rows = client.get(f"/api/v1/regions/{region.id}/overview", headers=headers).json
            row = next(r for r in rows["offices"] if r["office"] == office.id)
            with lock:
                seen["waiting"], seen["at"] = row["waiting"], time.perf_counter()
            stop.wait(every_s)

    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    time.sleep(every_s * 1.5)
    latencies = []
    for _ in range(changes):
        with lock:
            before = seen["waiting"]
        tickets.issue(office, "A")
        changed = time.perf_counter()
        while True:
            with lock:
                if seen["waiting"] > before:
                    latencies.append(seen["at"] - changed)
                    break
            time.sleep(0.01)
        time.sleep(every_s * 0.37)  # changes at different moments of the poll cycle
    stop.set()
    thread.join()
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=100)
    parser.add_argument("--per-day", type=int, default=270)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--db", default="bench_region_19")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    exists = admin(f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'")
    if not (args.reuse and exists):
        admin(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)", f"CREATE DATABASE {args.db}")
    app = app_for(args.db)
    from queue_server.db import db
    from queue_server.engine import comparison, regions
    from queue_server.engine.clock import business_day
    from queue_server.models import Office, Region

    db.connect(reuse_if_open=True)
    if not (args.reuse and exists):
        print(f"generating {args.offices} offices x {args.per_day}/weekday x {args.days} days")
        seed(args.offices)
        today = business_day(Office.get())
        n, seconds = generate(args.per_day, args.days, today)
        make_today(today)
        db.execute_sql("VACUUM ANALYZE ticket")
        print(f"generated {n:,} tickets in {seconds:.0f} s (load {load()})")
    region = Region.get()
    offices = regions.offices_of(region)
    today = business_day(offices[0])
    n = db.execute_sql("SELECT COUNT(*) FROM ticket").fetchone()[0]
    version = db.execute_sql("SHOW server_version").fetchone()[0]
    print(f"{len(offices)} offices, {n:,} tickets; PostgreSQL {version}; {os.cpu_count()} cores")
    client = app.test_client()
    token = client.post("/api/v1/auth/token",
                        json={"username": "tinh", "password": "bench-password"}).json["token"]
    headers = {"Authorization": "Bearer " + token}
    print(f"{'measure':48} {'best':>8} {'median':>8} {'worst':>8}")
    report("overview, engine", *timed(lambda: regions.overview(region)), target=0.2)
    report("overview, JSON API", *timed(lambda: client.get(
        f"/api/v1/regions/{region.id}/overview", headers=headers)), target=0.2)
    client.post("/login", data={"username": "tinh", "password": "bench-password"})
    page = client.get(f"/region/{region.id}")
    assert page.status_code == 200, page.status_code
    report("overview, HTML page", *timed(lambda: client.get(f"/region/{region.id}")),
           target=0.2)
    latencies = polled_latency(app.test_client(), headers, region, offices[0])
    print(f"{'change -> seen by a 1 s poll (5 changes)':48} {min(latencies) * 1000:8.1f} "
          f"{statistics.median(latencies) * 1000:8.1f} {max(latencies) * 1000:8.1f} ms"
          f"  load {load()}  (target < 2 s: {'met' if max(latencies) < 2 else 'MISSED'})")
    month_last = today.replace(day=1) - timedelta(days=1)
    month = (month_last.replace(day=1), month_last)
    query = f"from={month[0]}&to={month[1]}"
    report(f"comparison {month[0]:%Y-%m}, engine",
           *timed(lambda: comparison.comparison(offices, *month, region)), target=1.0)
    report("comparison, JSON API", *timed(lambda: client.get(
        f"/api/v1/regions/{region.id}/comparison?{query}", headers=headers)), target=1.0)
    report("comparison, HTML page", *timed(lambda: client.get(
        f"/region/{region.id}/comparison?{query}"), repeat=3), target=1.0)
    report("comparison, CSV", *timed(lambda: client.get(
        f"/region/{region.id}/comparison.csv?{query}"), repeat=3), target=1.0)
    report("comparison, XLSX", *timed(lambda: client.get(
        f"/region/{region.id}/comparison.xlsx?{query}"), repeat=3), target=1.0)
    year = (today - timedelta(days=365), today - timedelta(days=1))
    report("comparison, whole year (no target)",
           *timed(lambda: comparison.comparison(offices, *year, region), repeat=2))
    report("public regional page", *timed(lambda: client.get(
        f"/public/region/{region.id}"), repeat=3))
    db.close()
    app.extensions["printing"].stop()
    if args.drop:
        db.close_all() if hasattr(db, "close_all") else None
        admin(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
        print(f"dropped {args.db}")


if __name__ == "__main__":
    main()
