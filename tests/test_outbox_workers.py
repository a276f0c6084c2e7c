"""The outbox across processes: the test database (PostgreSQL in CI), real
``celery worker`` processes on Redis, a real SMTP server (aiosmtpd), and a
fresh process of the site's own."""

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.core import mail
from django.db import transaction

from config.celery import app as celery_app
from moderation.outbox.models import OutboxEmail
from moderation.outbox.tasks import dispatch_outbox
from tests.conftest import celery_broker
from tests.services import BASE_DIR, database_url, wait_until


def send(to="reader@example.com", subject="Hello"):
    mail.send_mail(subject, "A message from the outbox tests.", None, [to])


def assert_each_sent_once(sink, expected):
    """Exactly ``expected`` emails arrived, none twice, and every row says sent."""
    time.sleep(2.5)  # let the 1-second dispatcher have a go at sending duplicates
    ids = sink.message_ids()
    duplicates = [mid for mid, count in Counter(ids).items() if count > 1]
    assert (len(ids), duplicates) == (expected, [])
    assert set(ids) == set(OutboxEmail.objects.values_list("message_id", flat=True))
    assert OutboxEmail.objects.exclude(status="sent").count() == 0


@pytest.mark.services
def test_email_from_committed_transaction_arrives_exactly_once(workers, smtp_sink):
    workers.start(beat=True)

    with transaction.atomic():
        send()

    smtp_sink.wait_for(1)
    assert_each_sent_once(smtp_sink, 1)
    assert smtp_sink.messages[0].rcpt_tos == ["reader@example.com"]


@pytest.mark.services
def test_rolled_back_transactions_send_nothing(workers, smtp_sink):
    workers.start(beat=True)

    for number in range(100):
        with pytest.raises(RuntimeError), transaction.atomic():
            send(subject=f"Rolled back {number}")
            raise RuntimeError("changed our mind")
    with transaction.atomic():
        send(subject="The one that counts")  # proves the worker was listening

    smtp_sink.wait_for(1)
    assert_each_sent_once(smtp_sink, 1)
    assert [m["Subject"] for m in smtp_sink.parsed()] == ["The one that counts"]
    assert OutboxEmail.objects.count() == 1


@pytest.mark.services
def test_broker_down_loses_nothing_and_sends_each_email_once_when_back(
    workers, smtp_sink, client, django_user_model, caplog
):
    django_user_model.objects.create_user("ed", "ed@example.com", "pw-123456-long")

    # Nothing listens on port 1: every request's "queue delivery" step fails.
    with celery_broker("redis://127.0.0.1:1/0"):
        responses = [
            client.post("/admin/password_reset/", {"email": "ed@example.com"})
            for _ in range(100)
        ]

    assert [r.status_code for r in responses] == [302] * 100
    assert OutboxEmail.objects.filter(status="pending").count() == 100
    assert "could not be queued" in caplog.text
    assert smtp_sink.messages == []

    workers.start(beat=True)  # the broker is back; beat runs the dispatcher

    smtp_sink.wait_for(100)
    assert_each_sent_once(smtp_sink, 100)


@pytest.mark.services
def test_two_workers_draining_1000_emails_send_each_once(workers, smtp_sink):
    with transaction.atomic():
        for number in range(1000):
            send(to=f"reader{number}@example.com")
    for _ in range(4):  # dispatchers racing the per-email tasks
        dispatch_outbox.delay()

    first = workers.start(beat=True, concurrency=2)
    second = workers.start(concurrency=2)

    smtp_sink.wait_for(1000, timeout=180)
    assert_each_sent_once(smtp_sink, 1000)
    log = workers.log()
    assert log.count("sent (attempt") == 1000
    assert first.poll() is None and second.poll() is None


@pytest.mark.services
def test_temporary_smtp_failures_are_retried_and_delivered_once(workers, smtp_sink):
    smtp_sink.answer_next(*["451 4.3.0 Try again later"] * 3)
    workers.start(beat=True)

    send()

    smtp_sink.wait_for(1, timeout=60)
    assert_each_sent_once(smtp_sink, 1)
    assert OutboxEmail.objects.get().attempts == 4


@pytest.mark.services
def test_permanent_failure_shows_in_admin_and_retry_delivers(
    workers, smtp_sink, admin_client
):
    smtp_sink.answer_next("550 5.1.1 Mailbox unavailable")
    workers.start(beat=True)

    send(to="jane@example.com")
    wait_until(
        lambda: OutboxEmail.objects.filter(status="failed").exists(), 30, "failure"
    )

    email = OutboxEmail.objects.get()
    assert email.attempts == 1 and "550" in email.last_error
    listing = admin_client.get(
        "/admin/moderation/outbox/?status=failed"
    ).content.decode()
    assert "SMTP 550: 5.1.1 Mailbox unavailable" in listing

    admin_client.post(f"/admin/moderation/outbox/retry/{email.pk}/")

    smtp_sink.wait_for(1)
    assert_each_sent_once(smtp_sink, 1)
    assert celery_app.conf.task_always_eager is False


@pytest.mark.django_db(transaction=True)
def test_email_sent_by_a_fresh_process_in_eager_mode_is_delivered(tmp_path):
    """A process that never imported the app's task modules (a management command
    with CELERY_TASK_ALWAYS_EAGER, as in development) delivers at once."""
    from django.db import connection

    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("CELERY_BROKER_URL", "EMAIL_HOST")
        },
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "VOUCH_VAR_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "fresh@example.com"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )

    assert list(OutboxEmail.objects.values_list("recipients", "status")) == [
        (["fresh@example.com"], "sent")
    ]
