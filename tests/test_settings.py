"""Settings are read from the environment; bad values stop start-up with a message
that names the variable, never a traceback."""

import json
import os
import re
import secrets
import subprocess
import sys

from tests.services import BASE_DIR, free_port

SERVICE_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "EMAIL_HOST",
    "SECRET_KEY",
)


def run(args, settings_module, tmp_path, **variables):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module, VOUCH_VAR_DIR=str(tmp_path), **variables
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_env(**overrides):
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "shop.example.com",
        "DATABASE_URL": "postgres://vouch@127.0.0.1:5432/vouch",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
        "EMAIL_HOST": "smtp.example.com",
        **overrides,
    }


def test_embedded_default_needs_no_service(tmp_path):
    script = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
print(json.dumps({
    "database": settings.DATABASES["default"]["ENGINE"],
    "journal": journal,
    "broker": settings.CELERY_BROKER_URL,
    "eager": getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False),
    "cache": settings.CACHES["default"]["BACKEND"],
    "delivery": settings.MODERATION_DELIVERY_EMAIL_BACKEND,
    "mail_folder": str(settings.EMAIL_FILE_PATH),
}))
"""
    result = run(["-c", script], "config.settings.dev", tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "database": "django.db.backends.sqlite3",
        "journal": "wal",
        "broker": "filesystem://",
        "eager": False,  # a real worker, not tasks run inline
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "delivery": "django.core.mail.backends.filebased.EmailBackend",
        "mail_folder": str(tmp_path / "mail"),
    }


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env()
    del env["SECRET_KEY"]

    result = run(["manage.py", "check"], "config.settings.production", tmp_path, **env)

    assert result.returncode == 1
    assert "SECRET_KEY is not set" in result.stderr and "Traceback" not in result.stderr


def test_production_names_each_missing_service(tmp_path):
    for name in (
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CACHE_URL",
        "EMAIL_HOST",
        "ALLOWED_HOSTS",
    ):
        env = production_env()
        del env[name]

        result = run(
            ["manage.py", "check"], "config.settings.production", tmp_path, **env
        )

        assert result.returncode == 1, name
        assert (
            f"{name} is not set" in result.stderr and "Traceback" not in result.stderr
        )


def test_production_deploy_check_reports_only_what_the_readme_explains(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy"],
        "config.settings.production",
        tmp_path,
        **production_env(),
    )

    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))
    assert reported == {"security.W021"}  # HSTS preload: a decision for the site owner
    assert "security.W021" in (BASE_DIR / "README.md").read_text()


def test_unreadable_database_url_names_the_variable(tmp_path):
    result = run(
        ["manage.py", "check"],
        "config.settings.dev",
        tmp_path,
        DATABASE_URL="mysqlx://db/shop",
    )

    assert result.returncode == 1
    assert "DATABASE_URL='mysqlx://db/shop' cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_names_the_variable_and_hides_the_password(tmp_path):
    url = f"postgres://vouch:hunter2@127.0.0.1:{free_port()}/vouch"

    result = run(
        ["manage.py", "migrate"], "config.settings.dev", tmp_path, DATABASE_URL=url
    )

    assert result.returncode == 1
    assert "DATABASE_URL" in result.stderr and "Connection refused" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_bad_broker_url_names_the_variable(tmp_path):
    result = run(
        ["manage.py", "check"],
        "config.settings.dev",
        tmp_path,
        CELERY_BROKER_URL="htp://broker",
    )

    assert result.returncode == 1
    assert "CELERY_BROKER_URL='htp://broker' is not a broker URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_number_names_the_variable(tmp_path):
    result = run(
        ["manage.py", "check"],
        "config.settings.dev",
        tmp_path,
        EMAIL_HOST="x",
        EMAIL_PORT="25a",
    )

    assert result.returncode == 1
    assert "EMAIL_PORT='25a' is not a whole number" in result.stderr
