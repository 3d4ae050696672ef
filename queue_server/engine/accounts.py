"""Users, passwords and API tokens."""
import hashlib
import secrets
import unicodedata
from datetime import timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from ..db import Prepared, db
from ..errors import Conflict, InvalidInput, Unauthorized
from ..models import ApiToken, User, utcnow

ROLES = ("clerk", "supervisor", "admin")  # each includes the rights of the ones before
#: Reads the dashboards and reports of every office of their region, acts nowhere:
#: outside the ladder above (a regional user is no clerk).
REGIONAL = "regional"
ALL_ROLES = ROLES + (REGIONAL,)


def normalise_text(value, what="The text", *, multiline=False):
    """``value`` in Unicode NFC with outer spaces removed; control characters refused.

    Vietnamese arrives precomposed ("ế") or combining ("ê" + U+0301) depending on
    the keyboard; NFC makes both one string, so a name typed either way matches.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.", code="not_text", params={"field": what})
    value = unicodedata.normalize("NFC", value).strip()
    allowed = "\n\r\t" if multiline else ""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in value):
        raise InvalidInput(f"{what} contains control characters.", code="control_characters",
                           params={"field": what})
    return value


def role_at_least(user, role):
    """True when ``user``'s role is ``role`` or above.

    ``REGIONAL`` (read-only figures) is met by a regional user and by supervisors and
    admins; a regional user meets no other role.
    """
    if user is None:
        return False
    if role == REGIONAL:
        return user.role == REGIONAL or role_at_least(user, "supervisor")
    if user.role not in ROLES:
        return False
    return ROLES.index(user.role) >= ROLES.index(role)


def check_region(role, office, region):
    """A regional user has a region and no office; nobody else has a region."""
    if role == REGIONAL and (region is None or office is not None):
        raise InvalidInput("A regional user needs a region and no office.",
                           code="region_required")
    if role != REGIONAL and region is not None:
        raise InvalidInput("Only a regional user has a region.", code="region_not_allowed")


def create_user(username, password, role, office=None, full_name="", region=None):
    """Create a user with a scrypt password hash (``region``: a regional user's)."""
    if role not in ALL_ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ALL_ROLES)}.", code="bad_role")
    check_region(role, office, region)
    username = normalise_text(username, "The username")
    full_name = normalise_text(full_name, "The full name")
    if not username or not password:
        raise InvalidInput("Username and password are required.", code="required",
                           params={"field": "Username" if not username else "Password"})
    if User.select().where(User.username == username).exists():
        raise Conflict(f"User {username!r} already exists.", code="duplicate",
                       params={"value": username})
    return User.create(username=username, password_hash=generate_password_hash(password),
                       role=role, office=office, full_name=full_name, region=region)


def authenticate(username, password):
    """The active user with these credentials, or Unauthorized."""
    try:
        username = normalise_text(username, "The username")
    except InvalidInput:
        username = ""  # no stored username has control characters: a plain failure
    user = User.get_or_none(User.username == username) if username else None
    if user is None:
        # Hash anyway: an unknown username must take as long as a wrong password.
        check_password_hash(_dummy_hash(), password or "")
    if user is None or not user.active or not check_password_hash(user.password_hash, password):
        raise Unauthorized("Wrong username or password.", code="bad_credentials")
    return user


_DUMMY = []


def _dummy_hash():
    if not _DUMMY:
        _DUMMY.append(generate_password_hash(secrets.token_hex(8)))
    return _DUMMY[0]


def _digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(user, ttl_s):
    """A new bearer token for ``user``; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    with db.atomic():
        ApiToken.create(user=user, token_hash=_digest(raw),
                        expires_at=utcnow() + timedelta(seconds=ttl_s))
    return raw


def user_for_token(raw):
    """The active user a valid, unexpired, unrevoked token belongs to, or None."""
    found = _USER_FOR_TOKEN.models(User, _digest(raw), utcnow())
    return found[0] if found else None


# Every request of a console or an API client asks it (see db.Prepared).
_USER_FOR_TOKEN = Prepared(lambda token_hash, now: User.select().join(
    ApiToken, on=(ApiToken.user == User.id)).where(
    (ApiToken.token_hash == token_hash) & ApiToken.revoked_at.is_null()
    & (ApiToken.expires_at > now) & User.active))


def end_sessions(user, *, tokens=True):
    """End every sign-in of ``user``: session cookies (and, with ``tokens``, bearer tokens).

    Cookies carry the user's ``session_version`` (see ``auth.SessionUser``);
    bumping it makes every cookie issued before unusable, copies included.
    """
    with db.atomic():
        User.update(session_version=User.session_version + 1).where(
            User.id == user.id).execute()
        if tokens:
            ApiToken.update(revoked_at=utcnow()).where(
                (ApiToken.user == user.id) & ApiToken.revoked_at.is_null()).execute()
    user.session_version = User.get_by_id(user.id).session_version


def session_matches(user_id, version):
    """The active user ``user_id`` when ``version`` is their current session version."""
    return User.get_or_none((User.id == user_id) & User.active
                            & (User.session_version == version))


def revoke_token(raw):
    """Revoke a token; True when it existed."""
    with db.atomic():
        return ApiToken.update(revoked_at=utcnow()).where(
            (ApiToken.token_hash == _digest(raw)) & ApiToken.revoked_at.is_null()).execute() > 0
