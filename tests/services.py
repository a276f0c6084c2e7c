"""Real services for integration tests: Redis, a Celery worker process, an SMTP sink.

Outside CI a missing service skips the test with a reason; in CI (``CI`` set) it
fails it, so a green CI run has really talked to PostgreSQL, Redis and SMTP.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from email import message_from_bytes
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
IN_CI = bool(os.environ.get("CI"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def service_missing(message):
    if IN_CI:
        pytest.fail(
            f"{message} (CI runs this test against the real service)", pytrace=False
        )
    pytest.skip(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def redis_or_skip(url=REDIS_URL):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        service_missing(
            f"Redis at {url} is not reachable ({error}); set TEST_REDIS_URL"
        )
    return client


@contextlib.contextmanager
def running_redis_server(port):
    """A redis-server of the test's own on ``port``, holding nothing on disk: a
    Redis that a test can stop and start again (the shared one must stay up)."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        service_missing("redis-server is not installed (apt-get install redis-server)")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)

    def answers():
        try:
            return client.ping()
        except redis.RedisError:
            return False

    try:
        wait_until(answers, 20, f"redis-server on port {port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=20)
        client.close()


def postgres_or_skip(settings_dict):
    """The test needs PostgreSQL itself (row locks, SKIP LOCKED, its own databases)."""
    if not settings_dict["ENGINE"].endswith("postgresql"):
        service_missing(
            "This test runs on PostgreSQL; set DATABASE_URL=postgres://USER@HOST/NAME"
        )
    import psycopg

    try:
        psycopg.connect(
            postgres_dsn(settings_dict, "postgres"), connect_timeout=3
        ).close()
    except psycopg.Error as error:
        service_missing(f"PostgreSQL is not reachable ({error})")


def postgres_dsn(settings_dict, dbname):
    """A psycopg connection string for database ``dbname`` on the same server."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(
        host=settings_dict.get("HOST") or "127.0.0.1",
        port=settings_dict.get("PORT") or 5432,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        dbname=dbname,
    )


class SMTPSink:
    """An aiosmtpd handler that keeps what it receives and can answer with errors."""

    def __init__(self):
        self.messages = []
        self._replies = deque()
        self._lock = threading.Lock()

    def answer_next(self, *replies):
        """The next DATA commands get these replies (e.g. "451 4.3.0 Try later")."""
        with self._lock:
            self._replies.extend(replies)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self._replies:
                return self._replies.popleft()
            self.messages.append(envelope)
        return "250 OK"

    def parsed(self):
        with self._lock:
            return [message_from_bytes(envelope.content) for envelope in self.messages]

    def message_ids(self):
        return [message["Message-ID"] for message in self.parsed()]

    def wait_for(self, count, timeout=60):
        wait_until(lambda: len(self.messages) >= count, timeout, f"{count} emails")

    def wait_for_one_to(self, address, timeout=60):
        """The one email to ``address``, once it has arrived (others may come first)."""

        def to_address():
            return [m for m in self.parsed() if m["To"] == address]

        wait_until(to_address, timeout, f"an email to {address}")
        (message,) = to_address()
        return message


@contextlib.contextmanager
def running_smtp_sink(sink=None):
    from aiosmtpd.controller import Controller

    sink = sink or SMTPSink()
    port = free_port()
    controller = Controller(
        sink, hostname="127.0.0.1", port=port, loop=asyncio.new_event_loop()
    )
    controller.start()
    sink.port = port
    try:
        yield sink
    finally:
        controller.stop()


def database_url(settings_dict):
    """A DATABASE_URL for another process to reach the test database."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or ""
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class CeleryWorkers:
    """Start real ``celery worker`` processes on the test database and broker."""

    def __init__(self, *, db_url, broker_url, smtp_port, folder):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": db_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "MODERATION_OUTBOX_DISPATCH_SECONDS": "1",
            "VOUCH_VAR_DIR": str(folder),
        }
        self.folder = folder
        self.processes = []

    def start(self, *, beat=False, concurrency=2):
        number = len(self.processes) + 1
        log_path = self.folder / f"worker{number}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--loglevel=INFO", f"--concurrency={concurrency}",
            f"--hostname=w{number}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        if beat:
            command += ["--beat", f"--schedule={self.folder / 'beat-schedule'}"]
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        wait_until(
            lambda: " ready." in log_path.read_text(), 60, f"worker {number} to start"
        )
        return process

    def log(self):
        return "\n".join(
            path.read_text() for path in sorted(self.folder.glob("worker*.log"))
        )

    def stop(self):
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
