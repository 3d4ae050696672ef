"""The demo office, created only by ``queue-server run --demo`` or ``queue-server demo``."""
import json
import os

from .db import db
from .engine import accounts, counters, slots
from .models import Counter, Office, Service, User

DEMO_PASSWORD = "demo"
DEMO_USERS = ["admin", "supervisor", "clerk1", "clerk2", "clerk3", "clerk4"]
SERVICES = [
    ("A", "Hộ tịch", "Civil status", 15),
    ("B", "Chứng thực", "Certification", 10),
    ("C", "Đất đai – Xây dựng", "Land and construction", 30),
    ("D", "Lao động – Thương binh – Xã hội", "Labour and social affairs", 20),
]
# counter number -> service codes in the order it serves them
COUNTERS = {1: ["A", "B"], 2: ["B", "A"], 3: ["C"], 4: ["D", "C"]}
# Every day, with a lunch break (the kiosk shows "closed" then). Long days so that
# the demo can be tried in the evening too; QUEUE_DEMO_HOURS overrides it ("" = always
# open, what the test-suite uses so that no test depends on the time of day).
_DAY = [["06:00", "11:30"], ["13:00", "22:00"]]
DEMO_HOURS = json.dumps({day: _DAY for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})


def demo_hours():
    """The demo office's opening hours: ``QUEUE_DEMO_HOURS`` when set, else DEMO_HOURS."""
    return os.environ.get("QUEUE_DEMO_HOURS", DEMO_HOURS)
BOOKING = {"slot_minutes": 30, "capacity": 2, "days_ahead": 7, "hours_from": "07:30",
           "hours_to": "17:00", "cutoff_minutes": 30}


def seed_demo():
    """Create the demo office when the database has no office; True when it did."""
    if Office.select().exists():
        return False
    with db.atomic():
        office = Office.create(name="UBND phường Dĩnh Kế", opening_hours=demo_hours(),
                               public_stats=True)
        services = {code: Service.create(office=office, code=code, name_vi=vi, name_en=en,
                                         prefix=code, target_wait_min=target)
                    for code, vi, en, target in SERVICES}
        # Service A takes bookings (docs/bookings.md): every flow can be tried at once.
        slots.save_settings(services["A"], bookable=True, **BOOKING)
        for number, codes in COUNTERS.items():
            counter = Counter.create(office=office, number=number, name=f"Quầy {number}")
            counters.set_services(counter, [services[c] for c in codes])
        for username in DEMO_USERS:
            if not User.select().where(User.username == username).exists():
                role = username if username in ("admin", "supervisor") else "clerk"
                accounts.create_user(username, DEMO_PASSWORD, role, office=office)
    return True
