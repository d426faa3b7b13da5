"""Configuration read from the environment (see README, « Configuration »)."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).lower() in {"1", "true", "yes", "on"}


class Config:
    """Values every environment shares; secrets and URLs come from the environment."""

    DEBUG = _flag("FLASK_DEBUG")
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The public address, start of every link that leaves the platform (mails, QR codes,
    # calendar feeds, the API's document); required outside development.
    EXTERNAL_URL = os.environ.get("EXTERNAL_URL")
    # How many proxies (load balancer…) in front set X-Forwarded-For / -Proto; 0: none.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'territorial.db'}"
    )
    SQLALCHEMY_RECORD_QUERIES = _flag("SQLALCHEMY_RECORD_QUERIES")
    # hide_parameters: an error names the statement, never the rows' values (token hashes…).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed logins per IP and per account (successful ones are not counted: a training
    # room logs in from one office IP); also every password-reset request per IP.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute;100 per hour")
    LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT",
                                              "5 per minute;20 per hour")
    # Password-reset mails per account, whoever asks (beyond: the same answer, no mail).
    PASSWORD_RESET_ACCOUNT_LIMIT = os.environ.get("PASSWORD_RESET_ACCOUNT_LIMIT",
                                                  "3 per hour;10 per day")
    # Wrong join codes per IP (a room behind one IP joins freely), posts and dots per phone.
    JOIN_CODE_LIMIT = os.environ.get("JOIN_CODE_LIMIT", "20 per minute;100 per hour")
    PHONE_RATE_LIMIT = os.environ.get("PHONE_RATE_LIMIT", "60 per minute")
    # Guests joining one session from one network before the facilitator must admit the
    # next ones (a room of 40 phones on the venue's Wi-Fi joins freely).
    JOIN_GUESTS_PER_NETWORK = int(os.environ.get("JOIN_GUESTS_PER_NETWORK", "40"))
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = {"fr": "Français", "en": "English"}
    WTF_CSRF_TIME_LIMIT = 12 * 3600  # a working day on one page (a live board), not forever
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies everywhere but in development (``make run`` serves plain HTTP).
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", "0" if DEBUG else "1")
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    INVITATION_MAX_AGE = 7 * 24 * 3600
    PASSWORD_RESET_MAX_AGE = 2 * 3600
    PER_PAGE = 25
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", "1")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "ne-pas-repondre@territoires.local")
