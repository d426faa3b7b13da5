"""Login limits: failed attempts are counted per IP and per account, in the limiter's
store (``RATELIMIT_STORAGE_URI``: Redis as soon as there are several processes).
A successful login is not counted, so a training room of thirty people logging in from
one office IP goes through, while guessing one account's password stops after a few
tries, from any number of IPs."""
from flask import current_app, request


def ip_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def account_key() -> str:
    """The account tried (the address typed, as accounts are looked up)."""
    email = (request.form.get("email") or "").strip().lower()
    return f"account:{email}" if email else ""


def failed(response) -> bool:
    """The login form came back (wrong address or password): an attempt that counts."""
    return response.status_code == 200
