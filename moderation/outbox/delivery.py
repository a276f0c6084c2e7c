"""Deliver outbox emails: claim, send, record. Safe with any number of workers.

A row is claimed with one conditional UPDATE (status and lease in the WHERE
clause), so two workers can never both send it. Batches are picked with
``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite, where that clause
does not exist, the IMMEDIATE transaction holds the write lock for the same
effect (config/settings/env.py).

The lease is short (``OUTBOX_LEASE_SECONDS``, 30 s) and renewed from a side
thread while the worker holds the rows: a worker that dies, however it dies,
stops renewing, and what it held is due again within one lease. One window
stays: a worker killed after the SMTP server's 250 and before the row is marked
sent. That email is sent again, with the same Message-ID, so mail clients
that deduplicate show it once.
"""

import contextlib
import datetime
import logging
import random
import smtplib
import threading
import uuid

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..conf import setting
from ..privacy import redact_emails
from ..sealing import InvalidToken, unseal
from .backend import deserialize, enqueue_delivery
from .models import OutboxEmail

logger = logging.getLogger(__name__)
Status = OutboxEmail.Status


def deliver(pk):
    """Send one email if it is due and nobody else holds it, then, over the same
    SMTP connection, other due emails (up to ``OUTBOX_DRAIN_LIMIT``): a burst of
    emails costs a few tasks and connections instead of one of each per email,
    and a slow broker (the filesystem one hands out about a task a second) does
    not hold the mail back. Returns True if ``pk`` itself was sent."""
    connection = _connection()
    claim = uuid.uuid4()
    try:
        with _lease_kept(claim):
            own = _claim([pk], claim)
            sent = bool(own) and _send(own[0], connection)
            if own and not sent:
                return False  # the server is unhappy: leave the rest to their tasks
            handled, limit = len(own), setting("OUTBOX_DRAIN_LIMIT")
            while handled < limit:
                size = min(setting("OUTBOX_BATCH_SIZE"), limit - handled)
                batch = _claim_batch(size, claim)
                if not batch:
                    break
                handled += len(batch)
                if sum(_send(email, connection) for email in batch) < len(batch):
                    break  # a failure: its retry is scheduled; stop draining
            return sent
    finally:
        _close_quietly(connection)


def dispatch(limit=None):
    """Send every due email, a batch at a time, over one SMTP connection per batch.

    Run by Celery beat: it picks up emails whose queueing failed (broker down),
    whose worker died, or whose retry time has come. Returns the number sent.
    """
    batch_size = setting("OUTBOX_BATCH_SIZE")
    sent = 0
    handled = 0
    claim = uuid.uuid4()
    with _lease_kept(claim):
        while limit is None or handled < limit:
            size = batch_size if limit is None else min(batch_size, limit - handled)
            batch = _claim_batch(size, claim)
            if not batch:
                break
            handled += len(batch)
            sent += _send_all(batch)
    return sent


def retry(email):
    """Put a failed email back in line (the admin's "Retry"). The caller logs it."""
    updated = OutboxEmail.objects.filter(pk=email.pk, status=Status.FAILED).update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        locked_until=None,
    )
    if updated:
        transaction.on_commit(lambda: enqueue_delivery(email.pk))
    return bool(updated)


def _claim_batch(size, claim):
    with transaction.atomic():
        pks = list(
            OutboxEmail.objects.due()
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:size]
        )
        return _claim(pks, claim) if pks else []


def _claim(pks, claim):
    """Take the due rows among ``pks`` for this worker, marked with ``claim``;
    returns the ones it got.

    The UPDATE repeats the due() test in its WHERE clause, so of two workers
    racing for a row, the second one's UPDATE matches nothing.
    """
    now = timezone.now()
    OutboxEmail.objects.filter(pk__in=pks).due(now).update(
        status=Status.SENDING,
        claim=claim,
        locked_until=now + _lease(),
        attempts=F("attempts") + 1,
    )
    return list(
        OutboxEmail.objects.filter(pk__in=pks, claim=claim, status=Status.SENDING)
    )


def _lease():
    return datetime.timedelta(seconds=setting("OUTBOX_LEASE_SECONDS"))


@contextlib.contextmanager
def _lease_kept(claim):
    """Renew the lease of every row held under ``claim``, every third of a
    lease, from a thread of its own (a send may block on a slow server for
    longer than a lease), until the block ends. The thread has its own
    database connection and closes it."""
    stop = threading.Event()

    def renew():
        try:
            while not stop.wait(_lease().total_seconds() / 3):
                try:
                    OutboxEmail.objects.filter(
                        claim=claim, status=Status.SENDING
                    ).update(locked_until=timezone.now() + _lease())
                except Exception:  # the database may be away for a moment
                    logger.warning("Could not renew an outbox lease.", exc_info=True)
        finally:
            db_connection.close()

    keeper = threading.Thread(target=renew, name="outbox-lease", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()


def _held(email):
    """The row, if this worker still holds it (its lease may have been taken over)."""
    return OutboxEmail.objects.filter(
        pk=email.pk, status=Status.SENDING, claim=email.claim
    )


def _renew_lease(email):
    """Extend the claim on the next email of a batch once half its lease is gone.

    A batch is claimed with one lease; if a slow server makes the batch outlast it,
    another worker may claim the emails not yet sent and both would send them.
    Renewing (only while this worker still holds the row) keeps each email
    claimed until it is sent. False if the row was taken over.
    """
    now = timezone.now()
    lease = _lease()
    if email.locked_until - now > lease / 2:
        return True
    email.locked_until = now + lease
    return bool(_held(email).update(locked_until=email.locked_until))


def _send_all(emails):
    """Send over one connection (one SMTP session for a whole batch)."""
    connection = _connection()
    try:
        return sum(_send(email, connection) for email in emails)
    finally:
        _close_quietly(connection)


def _connection():
    return get_connection(setting("DELIVERY_EMAIL_BACKEND"), fail_silently=False)


def _close_quietly(connection):
    try:
        connection.close()
    except Exception:  # the server may already have dropped it
        pass


def _send(email, connection):
    if not _renew_lease(email):
        return False  # another worker took it over when this one's lease ran out
    try:
        message = deserialize(
            unseal(email.sealed_message), email.message_id, connection
        )
        connection.open()  # no-op when already open
        connection.send_messages([message])
    except Exception as error:
        _record_failure(email, error)
        _close_quietly(connection)  # the next send opens a fresh one
        return False
    _held(email).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        locked_until=None,
        sealed_message="",
        last_error="",
    )
    logger.info("Outbox email %s sent (attempt %s).", email.pk, email.attempts)
    return True


def _record_failure(email, error):
    description = _describe(error)
    temporary = _is_temporary(error)
    if temporary and email.attempts < setting("OUTBOX_MAX_ATTEMPTS"):
        delay = min(
            setting("OUTBOX_RETRY_SECONDS") * 2 ** (email.attempts - 1),
            setting("OUTBOX_RETRY_MAX_SECONDS"),
        )
        delay *= random.uniform(
            1.0, 1.25
        )  # so a burst of failures does not retry in step
        _held(email).update(
            status=Status.PENDING,
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            locked_until=None,
            last_error=description,
        )
        logger.warning(
            "Outbox email %s: attempt %s failed (%s); retrying in %.0f s.",
            email.pk,
            email.attempts,
            description,
            delay,
        )
        enqueue_delivery(email.pk, countdown=delay)
    else:
        _held(email).update(
            status=Status.FAILED, locked_until=None, last_error=description
        )
        logger.error(
            "Outbox email %s failed for good after %s attempt(s): %s",
            email.pk,
            email.attempts,
            description,
        )


def _is_temporary(error):
    """4xx answers and lost connections are worth retrying; 5xx and bugs are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    return isinstance(error, OSError)  # refused, reset, timed out, DNS


def _describe(error):
    if isinstance(error, InvalidToken):
        text = (
            "the stored message cannot be decrypted "
            "(was SECRET_KEY changed without SECRET_KEY_FALLBACKS?)"
        )
    elif isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        text = f"SMTP {error.smtp_code}: {message}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _message in error.recipients.values()})
        text = f"SMTP refused the recipients ({', '.join(map(str, codes))})"
    else:
        text = f"{type(error).__name__}: {error}"
    return redact_emails(text)[:2000]
