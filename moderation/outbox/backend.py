"""``EMAIL_BACKEND``: write each message to the outbox instead of sending it.

The row is written on the caller's database connection, so it commits or rolls
back with the caller's transaction; delivery is queued only after commit.
https://docs.djangoproject.com/en/5.2/topics/email/#defining-a-custom-email-backend
"""

import base64
import functools
import logging
from email.utils import parseaddr

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from ..conf import setting
from ..sealing import seal
from .models import OutboxEmail

logger = logging.getLogger(__name__)


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            queue(message)
        return len(email_messages)


def queue(message):
    """Store ``message`` in the outbox and deliver it once the transaction commits."""
    headers = {name.lower(): value for name, value in message.extra_headers.items()}
    email = OutboxEmail.objects.create(
        message_id=headers.get("message-id")
        or OutboxEmail.new_message_id(message_id_domain()),
        subject=str(message.subject)[:998],
        recipients=message.recipients(),
        sealed_message=seal(serialize(message)),
    )
    transaction.on_commit(functools.partial(enqueue_delivery, email.pk))
    return email


# By name, so the outbox's modules need not import its tasks (which import them).
DELIVER_EMAIL = "moderation.outbox.tasks.deliver_email"


def enqueue_delivery(pk, countdown=None):
    """Hand one email to a worker. If the broker is down, say so and carry on:
    the row is committed, and the periodic dispatcher will send it."""
    try:
        current_app.signature(DELIVER_EMAIL, args=(pk,)).apply_async(
            countdown=countdown
        )
    except Exception as error:  # kombu raises several kinds when the broker is away
        logger.warning(
            "Outbox email %s is saved but could not be queued (%s: %s); "
            "the outbox dispatcher will send it when a worker can.",
            pk,
            type(error).__name__,
            error,
        )


def message_id_domain():
    domain = setting("MESSAGE_ID_DOMAIN")
    if not domain:
        domain = (
            parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
        )
    return domain


def serialize(message):
    """An ``EmailMessage`` as JSON-safe data (never pickle: reading one runs code)."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError(
                "The outbox stores attachments given as (filename, content, mimetype)."
            )
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode(), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def deserialize(data, message_id, connection):
    headers = {k: v for k, v in data["headers"].items() if k.lower() != "message-id"}
    headers["Message-ID"] = message_id
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=headers,
        alternatives=[tuple(alternative) for alternative in data["alternatives"]],
        connection=connection,
    )
    message.content_subtype = data["content_subtype"]
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message
