"""Taking a number from the phone (/join): the office's switch and its own network.

``open``: anyone with the link may join; ``off``: remote joining is closed (the
kiosk still issues); ``network``: only from the office's address ranges (its
Wi-Fi), so the citizen is on the premises. The same ranges let a citizen check in
a booking from the phone.
"""
import ipaddress

from ..db import db
from ..errors import Forbidden, InvalidInput
from ..models.bookings import RemoteJoin

MODES = ("open", "off", "network")


def settings_for(office):
    """The office's RemoteJoin row (not saved when it has none: ``open``, no networks)."""
    found = RemoteJoin.get_or_none(RemoteJoin.office == office.id)
    return found or RemoteJoin(office=office.id, mode="open", networks="")


def parse_networks(text):
    """Address ranges written "192.168.1.0/24, 10.0.0.5" as ip_network objects."""
    networks = []
    for part in (text or "").replace("\n", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise InvalidInput(f"{part!r} is not an address range such as 192.168.1.0/24.",
                               code="bad_network") from None
    return networks


def save(office, mode, networks=""):
    """Set the office's remote-join mode and networks (validated)."""
    if mode not in MODES:
        raise InvalidInput("'mode' must be one of: " + ", ".join(MODES), code="bad_mode")
    ranges = parse_networks(networks)
    if mode == "network" and not ranges:
        raise InvalidInput("Give the office's address ranges to require its network.",
                           code="bad_network")
    text = ", ".join(str(n) for n in ranges)
    with db.atomic():
        row = RemoteJoin.get_or_none(RemoteJoin.office == office.id)
        if row is None:
            RemoteJoin.create(office=office.id, mode=mode, networks=text)
        else:
            RemoteJoin.update(mode=mode, networks=text).where(
                RemoteJoin.office == office.id).execute()
    return settings_for(office)


def on_office_network(office, address, settings=None):
    """True when ``address`` lies in one of the office's ranges (False without ranges)."""
    settings = settings or settings_for(office)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in parse_networks(settings.networks))


def check_join(office, address):
    """Refuse (403) a phone's ticket when the office does not take them from there."""
    settings = settings_for(office)
    if settings.mode == "off":
        raise Forbidden("This office does not take numbers from phones now; please use "
                        "the kiosk.", code="remote_join_off")
    if settings.mode == "network" and not on_office_network(office, address, settings):
        raise Forbidden("Numbers are taken from phones only on the office's own network.",
                        code="not_on_office_network")


def may_check_in_here(office, address, kiosk_key_ok):
    """A check-in comes from the premises: a kiosk carrying the office's kiosk key, or
    a phone on the office's network; anyone when the office set neither."""
    settings = settings_for(office)
    if kiosk_key_ok or on_office_network(office, address, settings):
        return True
    return not office.kiosk_key and not parse_networks(settings.networks)
