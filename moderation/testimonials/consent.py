"""What a customer agrees to, and the evidence of it: the name a testimonial
is shown under, the permission requests emailed to the customer and the consent
records of their answers. ``Testimonial`` (in ``models.py``) asks
``ConsentRecord.objects.granted_for`` before anything goes live."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import TaskState

from .. import tokens
from ..privacy import shown_name
from ..text import shorten


class Attribution(models.TextChoices):
    FULL = "full", _("Full name")
    INITIAL = "initial", _("First name and initial")
    ANONYMOUS = "anonymous", _("“A customer”")


def attribution_for(style, name):
    """The name a testimonial is published under, in the style chosen."""
    words = shown_name(name).split()
    if style == Attribution.FULL and words:
        return " ".join(words)
    if style == Attribution.INITIAL and words:
        initial = f" {words[-1][0]}." if len(words) > 1 else ""
        return f"{words[0]}{initial}"
    return str(_("A customer"))


def quoted(quote, attribution, length=60):
    """A testimonial in one line, as titles, listings, panels and email subjects
    show it: “The knife course changed…” — Grace H. (cut at a word, inside the
    quotation marks)."""
    return f"“{shorten(quote, length)}” — {attribution}"


def content_hash(quote, attribution):
    """What a customer agrees to: the exact quote and the exact name shown."""
    return hashlib.sha256(f"{quote}\n{attribution}".encode()).hexdigest()


class ConsentRequest(models.Model):
    """One permission email: what it showed, and what became of it."""

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("Awaiting the customer")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        SUPERSEDED = "superseded", _("Superseded by a newer request")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    testimonial = models.ForeignKey(
        "moderation.Testimonial",
        on_delete=models.CASCADE,
        related_name="consent_requests",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    task_state = models.ForeignKey(
        TaskState, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    quote = models.TextField(verbose_name=_("quote shown"))
    customer_name = models.CharField(max_length=100)
    attribution_style = models.CharField(max_length=10, choices=Attribution.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.AWAITING
    )
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("permission request")
        ordering = ["-created_at"]

    def __str__(self):
        return (
            f"{self.get_status_display()}: {quoted(self.quote, self.attribution, 40)}"
        )

    @property
    def attribution(self):
        return attribution_for(self.attribution_style, self.customer_name)

    @property
    def title(self):
        """The words and name this request showed, shortened for a listing."""
        return quoted(self.quote, self.attribution, 80)

    def withdraw_token(self):
        """The signed id in the withdrawal link (in the confirmation email and on
        the page after a yes)."""
        return tokens.make("testimonial.withdraw", self.pk)

    def options(self):
        """The names the customer may choose, as (style, shown text)."""
        return [
            (style, attribution_for(style, self.customer_name))
            for style in Attribution.values
        ]


class ConsentRecordQuerySet(models.QuerySet):
    def granted_for(self, testimonial, content_hash):
        """A yes to exactly this content, not withdrawn since."""
        withdrawn = self.filter(
            testimonial=testimonial, answer=ConsentRecord.Answer.WITHDRAWN
        )
        granted = self.filter(
            testimonial=testimonial,
            content_hash=content_hash,
            answer=ConsentRecord.Answer.GRANTED,
        )
        latest_withdrawal = (
            withdrawn.order_by("-answered_at")
            .values_list("answered_at", flat=True)
            .first()
        )
        if latest_withdrawal:
            granted = granted.filter(answered_at__gt=latest_withdrawal)
        return granted


class ConsentRecord(models.Model):
    """Evidence of one answer. Written once; nobody can change or delete it."""

    class Answer(models.TextChoices):
        GRANTED = "granted", _("Yes")
        DECLINED = "declined", _("No")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("No answer in time")

    testimonial = models.ForeignKey(
        "moderation.Testimonial",
        on_delete=models.PROTECT,
        related_name="consent_records",
    )
    consent_request = models.ForeignKey(
        ConsentRequest, on_delete=models.PROTECT, related_name="records"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    quote = models.TextField(verbose_name=_("quote shown"))
    attribution = models.CharField(verbose_name=_("name shown"), max_length=100)
    content_hash = models.CharField(
        verbose_name=_("SHA-256 of quote and name"), max_length=64
    )
    answer = models.CharField(
        verbose_name=_("answer"), max_length=10, choices=Answer.choices
    )
    answered_at = models.DateTimeField(verbose_name=_("when"), default=timezone.now)
    method = models.CharField(verbose_name=_("how"), max_length=100)
    request_id = models.CharField(
        verbose_name=_("request id"), max_length=64, blank=True
    )
    ip_network = models.CharField(verbose_name=_("network"), max_length=50, blank=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent record")
        ordering = ["answered_at", "pk"]

    def __str__(self):
        return f"{self.get_answer_display()} — {self.answered_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A consent record is evidence and cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A consent record is evidence and cannot be deleted.")

    @property
    def title(self):
        """The words and name the customer answered about, shortened for a listing."""
        return quoted(self.quote, self.attribution, 80)
