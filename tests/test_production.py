"""Production settings under gunicorn: static files from WhiteNoise, HTTPS enforced."""

import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.services import BASE_DIR, REDIS_URL, free_port, redis_or_skip, wait_until
from tests.test_settings import production_env

pytestmark = pytest.mark.services


def test_gunicorn_serves_pages_and_static_files_with_production_settings(tmp_path):
    redis = redis_or_skip()
    env = {
        **production_env(
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            CACHE_URL=REDIS_URL,
            CELERY_BROKER_URL=REDIS_URL,
        ),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "VOUCH_VAR_DIR": str(tmp_path),
        "PATH": f"{sys.prefix}/bin",
    }
    for command in (
        ["migrate", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, check=True
        )
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=BASE_DIR,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    https = {"X-Forwarded-Proto": "https"}
    try:
        wait_until(lambda: _status(base + "/", https) == 200, 30, "gunicorn")

        page = _get(base + "/", https)
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page).group(1)
        assert _status(base + css, https) == 200  # hashed name, served by WhiteNoise
        assert _status(base + "/") == 301  # plain HTTP is sent to HTTPS
    finally:
        server.terminate()
        server.wait(timeout=10)
        redis.flushdb()  # the demo's welcome email task


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url, headers=None):
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(
        urllib.request.Request(url, headers=headers or {}), timeout=5
    ) as response:
        return response.read().decode()


def _status(url, headers=None):
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(
            urllib.request.Request(url, headers=headers or {}), timeout=5
        ) as r:
            return r.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None
