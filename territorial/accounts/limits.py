"""Login and password-reset limits, counted in the limiter's store (``RATELIMIT_STORAGE_URI``:
Redis as soon as there are several processes).

Failed logins are counted per IP and per account; a successful login is not counted, so a
training room of thirty people logging in from one office IP goes through, while guessing
one account's password stops after a few tries, from any number of IPs.

The per-account count must not lock the owner out (anyone can fail five times on someone
else's address): a browser that has already signed in to an account carries a signed
« known device » cookie, and its attempts on that account are counted against that
device alone, not against the account. Whoever guesses from elsewhere is stopped by the
account's count; the owner, from a browser already used, still signs in."""
import hashlib
import hmac
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many

from extensions import limiter

from territorial.accounts.operations import normalise_email

DEVICE_COOKIE = "known_device"
DEVICE_COOKIE_DAYS = 180
DEVICE_ACCOUNTS = 10  # accounts remembered by one browser (a shared office computer)


def ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def reset_account_limit() -> str:
    return current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"]


def _typed_email() -> str:
    return normalise_email(request.form.get("email") or "")


def account_key() -> str:
    """The account tried (the address typed, as accounts are looked up), or this browser
    when it has signed in to that account before."""
    email = _typed_email()
    if not email:
        return ""
    device = _known_device(email)
    return f"device:{device}" if device else f"account:{email}"


def may_send_reset_link(email: str) -> bool:
    """Counts a password-reset mail to this account (``PASSWORD_RESET_ACCOUNT_LIMIT``, from
    whatever IP): False once there were enough. The page says the same either way."""
    if not limiter.enabled:
        return True
    key = normalise_email(email)
    return all(limiter.limiter.hit(limit, "password-reset", key)
               for limit in parse_many(reset_account_limit()))


def failed(response) -> bool:
    """The login form came back (wrong address or password): an attempt that counts."""
    return response.status_code == 200


# The known-device cookie ------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _fingerprint(email: str) -> str:
    """The cookie names accounts by a keyed digest, not by their address (which a reader
    of the cookie could not confirm either)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:24]


def _device() -> tuple[str | None, list[str]]:
    """(this browser's id, the accounts it signed in to) from a valid cookie."""
    try:
        device, accounts = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except (BadSignature, ValueError, TypeError):
        return None, []
    if not isinstance(device, str) or not isinstance(accounts, list):
        return None, []
    return device, [account for account in accounts if isinstance(account, str)]


def _known_device(email: str) -> str | None:
    device, accounts = _device()
    return device if device and _fingerprint(email) in accounts else None


def remember_device(response, email: str):
    """After a successful login: this browser is now known for this account."""
    device, accounts = _device()
    account = _fingerprint(email)
    accounts = [account, *(other for other in accounts if other != account)][:DEVICE_ACCOUNTS]
    config = current_app.config
    response.set_cookie(
        DEVICE_COOKIE, _serializer().dumps([device or secrets.token_urlsafe(16), accounts]),
        max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
        secure=config["SESSION_COOKIE_SECURE"], samesite="Lax",
    )
    return response
