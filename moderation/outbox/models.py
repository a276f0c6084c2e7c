import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Waiting to be sent, or claimed by a worker whose lease has run out."""
        now = now or timezone.now()
        return self.filter(
            Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=OutboxEmail.Status.SENDING, locked_until__lt=now)
        )


class OutboxEmail(models.Model):
    """One email the site decided to send.

    The message itself (body, headers, any secret link in it) is sealed with a key
    derived from SECRET_KEY and erased once sent: the admin, a database dump or a
    log never shows it in clear.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.CharField(
        verbose_name=_("Message-ID"),
        max_length=255,
        unique=True,
        help_text=_(
            "Stays the same on every attempt, so mail servers can drop a duplicate."
        ),
    )
    subject = models.CharField(verbose_name=_("subject"), max_length=998)
    recipients = models.JSONField(verbose_name=_("recipients"), default=list)
    sealed_message = models.TextField(
        verbose_name=_("sealed message"), blank=True, editable=False
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        verbose_name=_("next attempt"), default=timezone.now
    )
    locked_until = models.DateTimeField(
        verbose_name=_("claimed until"), null=True, blank=True
    )
    claim = models.UUIDField(
        verbose_name=_("claimed by"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(verbose_name=_("last error"), blank=True)
    created_at = models.DateTimeField(verbose_name=_("queued at"), default=timezone.now)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox emails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx")
        ]
        permissions = [
            (
                "view_recipient_outboxemail",
                _("Can see the recipients of outbox emails"),
            ),
            ("retry_outboxemail", _("Can retry a failed outbox email")),
        ]

    def __str__(self):
        return self.subject

    @staticmethod
    def new_message_id(domain):
        return f"<{uuid.uuid4().hex}@{domain}>"
