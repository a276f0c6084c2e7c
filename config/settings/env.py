"""Read settings from the environment, failing with a message that names the variable.

A misconfigured deployment should stop at start-up with one readable line, not a
traceback: ``ConfigError`` is a ``SystemExit``, so Python prints its message and
exits with status 1.
"""

import json
import os
from urllib.parse import urlsplit, urlunsplit

import dj_database_url

SUPPORTED_DATABASES = {
    "django.db.backends.postgresql": "PostgreSQL",
    "django.db.backends.sqlite3": "SQLite",
}
SUPPORTED_BROKER_SCHEMES = {
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "pyamqp",
    "filesystem",
    "memory",
}


class ConfigError(SystemExit):
    pass


def get(name, default=None, *, required=False, why=""):
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if required:
        raise ConfigError(f"{name} is not set. {why}".strip())
    return default


def get_bool(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a yes/no value. Use 1 or 0.")


def get_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None


def get_json(name, default=None):
    """A JSON value (e.g. an object of broker options), or ``default`` if unset."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return json.loads(value)
    except ValueError as error:
        raise ConfigError(f"{name} is not valid JSON ({error}).") from None


def get_list(name, default=()):
    value = os.environ.get(name, "").strip()
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def redact(url):
    """The URL without its password, fit for an error message or a log."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def database(default_sqlite_path):
    """``DATABASES["default"]`` from ``DATABASE_URL``, else a SQLite file (WAL)."""
    url = get("DATABASE_URL")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            "OPTIONS": sqlite_options(),
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as error:  # dj-database-url raises several kinds
        raise ConfigError(
            f"DATABASE_URL={redact(url)!r} cannot be read ({error}). "
            "Use postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////absolute/path.db"
        ) from None
    if config.get("ENGINE") not in SUPPORTED_DATABASES:
        raise ConfigError(
            f"DATABASE_URL={redact(url)!r} names a database Vouch does not support. "
            "Use postgres://USER:PASSWORD@HOST:5432/NAME or sqlite:////absolute/path.db"
        )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
        config["CONN_MAX_AGE"] = 0
    return config


def sqlite_options():
    # WAL lets the web server read while a worker writes; IMMEDIATE takes the
    # write lock at BEGIN, so two processes claiming outbox rows queue up
    # instead of failing with "database is locked" half-way through.
    return {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }


def cache():
    """``CACHES["default"]`` from ``CACHE_URL`` (Redis), else local memory.

    A Redis that is down must not take the site down with it: django-redis's
    IGNORE_EXCEPTIONS makes each read a miss and each write a no-op instead of
    an error. A Redis that hangs costs each cache call its timeout (an article
    page makes about six calls), so they are short: a healthy one answers in
    well under a millisecond, and a miss only costs a database query. Rate
    limits notice and let requests through (moderation/ratelimit.py).
    """
    url = get("CACHE_URL")
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.1,
            "SOCKET_TIMEOUT": 0.2,
        },
    }


def broker_url(default):
    url = get("CELERY_BROKER_URL", default)
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_BROKER_SCHEMES:
        raise ConfigError(
            f"CELERY_BROKER_URL={redact(url)!r} is not a broker URL Celery can use. "
            "Use redis://HOST:6379/0 (production) or leave it unset for the "
            "embedded filesystem broker."
        )
    return url


def database_error_message(error):
    """What to say when the database cannot be used (see manage.py)."""
    from django.db import connection

    settings_dict = connection.settings_dict
    where = os.environ.get("DATABASE_URL")
    where = redact(where) if where else f"the SQLite file {settings_dict.get('NAME')}"
    return (
        f"The database could not be used: {str(error).strip()}\n"
        f"It is configured by DATABASE_URL (now: {where}). Check that the database "
        "server is running and reachable, and that `python manage.py migrate` has run."
    )
