"""`make run` as a newcomer runs it: web, worker and beat on SQLite and the
filesystem broker, with no other service; Ctrl-C stops them all."""

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.services import BASE_DIR, free_port, wait_until

SERVICE_VARIABLES = ("DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL", "EMAIL_HOST")


@pytest.fixture
def make_run(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(VOUCH_VAR_DIR=str(tmp_path), PORT=str(port))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = tmp_path / "make-run.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            # In the venv that runs these tests, already installed: -o never
            # reinstalls into it, whatever requirements*.txt's dates say.
            ["make", "-o", f"{sys.prefix}/.installed", "run", f"VENV={sys.prefix}"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path, env)
    try:
        wait_until(server.is_up, 180, "make run to serve the site")
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal sends
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                raise


class Server:
    def __init__(self, url, process, log_path, env):
        self.url, self.process, self.log_path, self.env = url, process, log_path, env
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def is_up(self):
        if self.process.poll() is not None:
            raise AssertionError(f"make run exited early:\n{self.log_path.read_text()}")
        try:
            return self.get("/")[0] == 200
        except OSError:
            return False

    def get(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data else None
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Referer": self.url}
        )
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_make_run_serves_the_demo_and_delivers_email_with_no_services(
    make_run, tmp_path
):
    status, home = make_run.get("/")
    assert status == 200 and "Seasoning cast iron" in home

    # Wagtail's own emails link to the port the site runs on, not 8000.
    _status, reset_page = make_run.get("/admin/password_reset/")
    make_run.get(
        "/admin/password_reset/",
        {"email": "moira@example.com", "csrfmiddlewaretoken": csrf_in(reset_page)},
    )
    reset_link = f"{make_run.url}/admin/password_reset/confirm/"
    wait_until(
        lambda: any(reset_link in text for text in mail_texts(tmp_path / "mail")),
        60,
        f"Wagtail's password-reset email with a link to {reset_link}",
    )

    # The admin login printed by `make run` works.
    printed = make_run.log_path.read_text()
    password = re.search(r"user admin .*, password (\S+)", printed).group(1)
    _status, login_page = make_run.get("/admin/login/")
    status, dashboard = make_run.get(
        "/admin/login/",
        {
            "username": "admin",
            "password": password,
            "csrfmiddlewaretoken": csrf_in(login_page),
        },
    )
    assert status == 200 and "Dashboard" in dashboard

    # An email queued by another process is delivered by make run's worker.
    subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "newcomer@example.com"],
        cwd=BASE_DIR,
        env=make_run.env,
        check=True,
        capture_output=True,
    )
    wait_until(
        lambda: any(
            "newcomer@example.com" in text for text in mail_texts(tmp_path / "mail")
        ),
        60,
        "the worker to write the email to the mail folder",
    )

    # Ctrl-C stops web, worker and beat together.
    os.killpg(make_run.process.pid, signal.SIGINT)
    make_run.process.wait(timeout=30)
    wait_until(
        lambda: not group_alive(make_run.process.pid), 30, "every process to stop"
    )


def csrf_in(form_page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page).group(1)


def mail_texts(folder):
    return [path.read_text() for path in Path(folder).glob("*.log")]


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
