"""Small functions that build test data through the engine."""
from queue_server.demo import DEMO_PASSWORD, seed_demo
from queue_server.engine import accounts, counters
from queue_server.models import Counter, Office, Service, User

PASSWORD = DEMO_PASSWORD


def demo_office():
    """The demo office (4 services, 4 counters, demo users)."""
    seed_demo()
    return Office.get()


def office(name="Office", timezone="Asia/Ho_Chi_Minh", **fields):
    return Office.create(name=name, timezone=timezone, **fields)


def service(office, code, prefix=None, name_vi=None, **fields):
    return Service.create(office=office, code=code, prefix=prefix or code[0],
                          name_vi=name_vi or f"Dịch vụ {code}", name_en=f"Service {code}",
                          **fields)


def counter(office, number, services=(), **fields):
    c = Counter.create(office=office, number=number, name=f"Quầy {number}", **fields)
    counters.set_services(c, list(services))
    return c


def user(username, role="clerk", office=None, password=PASSWORD):
    return accounts.create_user(username, password, role, office=office)


def demo_counter(number):
    return Counter.get(Counter.number == number)


def demo_user(username):
    return User.get(User.username == username)
