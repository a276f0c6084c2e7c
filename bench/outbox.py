"""Outbox delivery rate: 10,000 emails through the outbox and two real Celery
workers, against a raw smtplib loop sending the same 10,000 to the same local
SMTP server (aiosmtpd in another process). Counts what arrived by Message-ID."""

import collections
import contextlib
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

from django.core.mail import EmailMessage as DjangoEmail
from django.db import transaction

from moderation.outbox.models import OutboxEmail

BASE_DIR = Path(__file__).resolve().parent.parent
COUNT = 10_000
BODY = "Your comment on “An article” is published. Thank you for writing.\n" * 5


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError(f"timed out after {timeout} s waiting for {what}")


@contextlib.contextmanager
def process(command, *, env=None, log):
    with open(log, "w") as out:
        child = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield child
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


class Sink:
    """The SMTP server process and what it has received."""

    def __init__(self, folder, name):
        self.port = free_port()
        self.path = folder / f"{name}.ids"
        self.path.write_text("")
        self.log = folder / f"{name}.log"

    def running(self):
        command = [sys.executable, "-m", "bench.smtp_sink", str(self.port)]
        return process([*command, str(self.path)], log=self.log)

    def ids(self):
        return [line for line in self.path.read_text().splitlines() if line]

    def count(self):
        with open(self.path, "rb") as ids:
            return sum(1 for _ in ids)


def raw_smtplib(folder):
    """The baseline: one smtplib connection, a loop of send_message()."""
    sink = Sink(folder, "smtplib")
    with sink.running():
        wait_until(lambda: "ready" in sink.log.read_text(), 30, "the SMTP sink")
        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            for n in range(COUNT):
                message = EmailMessage()
                message["Subject"] = f"Your comment is published ({n})"
                message["From"] = "Vouch <noreply@localhost>"
                message["To"] = f"reader{n}@example.com"
                message["Message-ID"] = f"<raw-{n}@localhost>"
                message.set_content(BODY)
                smtp.send_message(message)
        end = wait_until(lambda: sink.count() >= COUNT, 120, "the last email")
    return _result(sink, end - start, {f"<raw-{n}@localhost>" for n in range(COUNT)})


def outbox(folder, worker_env):
    """The product: emails queued through EMAIL_BACKEND (the outbox) in one
    transaction; on commit each is handed to Celery; two worker processes
    (concurrency 1 each) claim and send. Timed from the commit to the last
    message received."""
    sink = Sink(folder, "outbox")
    env = {**worker_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(sink.port)}
    OutboxEmail.objects.all().delete()  # e.g. the comment benchmark's notices
    with contextlib.ExitStack() as stack:
        stack.enter_context(sink.running())
        wait_until(lambda: "ready" in sink.log.read_text(), 30, "the SMTP sink")
        logs = []
        for number in (1, 2):
            log = folder / f"worker{number}.log"
            command = [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--loglevel=INFO", "--concurrency=1", f"--hostname=bench{number}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ]  # fmt: skip
            stack.enter_context(process(command, env=env, log=log))
            logs.append(log)
        for log in logs:
            wait_until(lambda log=log: "ready" in log.read_text(), 90, "a worker")
        with transaction.atomic():
            for n in range(COUNT):
                DjangoEmail(
                    subject=f"Your comment is published ({n})",
                    body=BODY,
                    to=[f"reader{n}@example.com"],
                ).send()
            expected = set(OutboxEmail.objects.values_list("message_id", flat=True))
            start = time.perf_counter()  # on commit: 10,000 tasks published
        published = time.perf_counter()
        try:
            end = wait_until(lambda: sink.count() >= COUNT, 900, "the last email")
        except TimeoutError:
            end = time.perf_counter()
        time.sleep(1)  # a duplicate would arrive late: give it the chance
        result = _result(sink, end - start, expected)
        result["publishing seconds"] = published - start
    result["unsent rows"] = OutboxEmail.objects.exclude(
        status=OutboxEmail.Status.SENT
    ).count()
    return result


def _result(sink, seconds, expected):
    """Rate, and what was lost or came twice, by Message-ID."""
    counts = collections.Counter(i for i in sink.ids() if i in expected)
    return {
        "seconds": seconds,
        "rate": sum(counts.values()) / seconds,
        "received": sum(counts.values()),
        "lost": len(expected - set(counts)),
        "duplicates": sum(n - 1 for n in counts.values() if n > 1),
    }
