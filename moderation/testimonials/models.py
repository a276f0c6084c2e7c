"""Feedback, and the testimonials drafted from it: a testimonial goes live only
with its customer's recorded yes to its exact words and name (the guard is
``Testimonial.save`` and ``Testimonial.publish``; the consent itself is in
``consent.py``)."""

import logging

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from ..addresses import validate_deliverable
from ..admin_ui import PrivateEmailPanel, PrivateFieldsForm
from ..text import shorten
from . import notices
from .consent import (
    Attribution,
    ConsentRecord,
    attribution_for,
    content_hash,
    quoted,
)

logger = logging.getLogger(__name__)


class Feedback(models.Model):
    """What a customer told us. Private: shown only in the admin."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, on_delete=models.SET_NULL
    )
    name = models.CharField(verbose_name=_("name"), max_length=100)
    email = models.EmailField(
        verbose_name=_("email"),
        help_text=_("Never published. Used to ask permission."),
        validators=[validate_deliverable],
    )
    body = models.TextField(verbose_name=_("feedback"))
    rating = models.PositiveSmallIntegerField(
        verbose_name=_("rating"),
        null=True,
        blank=True,
        choices=[(n, str(n)) for n in range(1, 6)],
    )
    order_reference = models.CharField(
        verbose_name=_("order reference"), max_length=50, blank=True
    )
    ip_network = models.CharField(verbose_name=_("network"), max_length=50, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("received at"), default=timezone.now
    )

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        permissions = [("view_email_feedback", _("Can see customers' email addresses"))]

    def __str__(self):
        return f"{self.name}: {shorten(self.body, 60)}"

    @property
    def excerpt(self):
        return shorten(self.body, 80)


class TestimonialQuerySet(models.QuerySet):
    def shown(self):
        """Live, with a granted and unwithdrawn consent for exactly what is live.
        Three queries, however many testimonials."""
        live = list(self.filter(live=True))
        records = ConsentRecord.objects.filter(testimonial__in=live).values_list(
            "testimonial_id", "content_hash", "answer", "answered_at"
        )
        withdrawn_at, granted = {}, {}
        for testimonial_id, content, answer, when in records:
            if answer == ConsentRecord.Answer.WITHDRAWN:
                withdrawn_at[testimonial_id] = max(
                    when, withdrawn_at.get(testimonial_id, when)
                )
            elif answer == ConsentRecord.Answer.GRANTED:
                granted.setdefault((testimonial_id, content), []).append(when)
        return [
            testimonial
            for testimonial in live
            if any(
                testimonial.pk not in withdrawn_at
                or when > withdrawn_at[testimonial.pk]
                for when in granted.get(
                    (testimonial.pk, testimonial.content_hash()), []
                )
            )
        ]


class Testimonial(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, models.Model
):
    """A customer's words we want to publish. Publishing needs their recorded yes
    to this exact quote and attribution (``ConsentRecord``, in ``consent.py``)."""

    __test__ = False  # not a pytest class, despite the name

    quote = models.TextField(
        verbose_name=_("quote"),
        help_text=_(
            "The customer's words. You may shorten them; the customer sees exactly this."
        ),
    )
    customer_name = models.CharField(verbose_name=_("customer's name"), max_length=100)
    attribution_style = models.CharField(
        verbose_name=_("shown as"),
        max_length=10,
        choices=Attribution.choices,
        default=Attribution.INITIAL,
        help_text=_(
            "How the customer is named next to the quote. They can choose another."
        ),
    )
    feedback = models.ForeignKey(
        Feedback,
        verbose_name=_("from feedback"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
    )
    customer_email = models.EmailField(
        verbose_name=_("customer's email"),
        validators=[validate_deliverable],
        help_text=_("Never published. The permission request is sent here."),
    )
    product = models.CharField(verbose_name=_("product"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Wagtail's DraftStateMixin defaults to live: a testimonial starts as a draft
    # and goes live only through a publish that finds the customer's yes.
    live = models.BooleanField(verbose_name=_("live"), default=False, editable=False)

    objects = TestimonialQuerySet.as_manager()

    panels = [
        HelpPanel(
            content=_(
                "<strong>Changing the quote or how the customer is named voids their "
                "permission:</strong> a new request is needed before publishing."
            )
        ),
        FieldPanel("quote"),
        MultiFieldPanel(
            [
                FieldPanel("customer_name"),
                FieldPanel("attribution_style"),
                # Write-only: editors keep, replace or type an address, but the
                # form never shows the stored one (promise 1).
                PrivateEmailPanel("customer_email"),
            ],
            heading=_("Customer"),
        ),
        FieldPanel("product"),
        FieldPanel("feedback"),
    ]
    base_form_class = PrivateFieldsForm

    class Meta:
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        ordering = ["-created_at"]

    def __str__(self):
        # One line: Wagtail puts this into email subjects, which forbid newlines.
        return quoted(self.quote, self.attribution)

    def save(self, *args, **kwargs):
        # Where every publish path passes, Wagtail's PublishRevisionAction and a
        # plain save() included: the row never says live without a yes.
        if self._would_be_live_without_consent(kwargs.get("update_fields")):
            raise ConsentRequired(CONSENT_REQUIRED_MESSAGE)
        return super().save(*args, **kwargs)

    @property
    def attribution(self):
        return attribution_for(self.attribution_style, self.customer_name)

    def content_hash(self):
        return content_hash(self.quote, self.attribution)

    def has_consent(self):
        return ConsentRecord.objects.granted_for(self, self.content_hash()).exists()

    def publish(self, revision, *args, **kwargs):
        """Refuse, before Wagtail changes anything, a revision the customer has
        not agreed to. A scheduled go-live that finds no consent (withdrawn or
        voided since it was scheduled) is called off instead of raising, so
        ``publish_scheduled`` goes on to the objects scheduled after it."""
        content = revision.as_object()
        if not content.has_consent():
            go_live = revision.approved_go_live_at
            if go_live is not None and go_live <= timezone.now():
                self._call_off_scheduled_publish()
                return None
            raise ConsentRequired(CONSENT_REQUIRED_MESSAGE)
        return super().publish(revision, *args, **kwargs)

    def _call_off_scheduled_publish(self):
        """Nothing goes live, the schedule is cleared, and the editors are told,
        so they can ask the customer again."""
        with transaction.atomic():
            self.revisions.filter(approved_go_live_at__isnull=False).update(
                approved_go_live_at=None
            )
            Testimonial.objects.filter(pk=self.pk).update(go_live_at=None)
            log(instance=self, action="moderation.testimonial.schedule_called_off")
            notices.tell_editors_about_called_off_schedule(self)
        logger.warning(
            "Scheduled publishing of testimonial %s called off: the customer has "
            "not agreed to its words.",
            self.pk,
        )

    def _would_be_live_without_consent(self, update_fields):
        """What the row will hold after this save: fields not written keep their
        stored values (Wagtail saves a live object's revision pointers alone)."""
        guarded = {"live", *CONSENT_FIELDS}
        if update_fields is None:
            written = guarded
        else:
            written = guarded & set(update_fields)
            if not written:
                return False
        state = {name: getattr(self, name) for name in written}
        if written != guarded:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values(*(guarded - written))
                .first()
            )
            state.update(stored or {})
        if not state.get("live"):
            return False
        if self.pk is None:
            return True
        attribution = attribution_for(
            state["attribution_style"], state["customer_name"]
        )
        return not ConsentRecord.objects.granted_for(
            self, content_hash(state["quote"], attribution)
        ).exists()


class ConsentRequired(PermissionDenied):
    """Raised by every path that would make a testimonial live without a yes."""


# What the customer agrees to; changing any of these voids their consent.
CONSENT_FIELDS = ("quote", "customer_name", "attribution_style")
CONSENT_REQUIRED_MESSAGE = _(
    "The customer has not agreed to these words yet. Submit the testimonial to "
    "“Testimonial permission” to ask them: it is published when they say yes."
)
