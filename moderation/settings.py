"""Moderation policy editors change in the Wagtail admin (Settings → Moderation).

https://docs.wagtail.org/en/stable/reference/contrib/settings.html
"""

import datetime
import re

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="tasks")
class ModerationSettings(BaseSiteSetting):
    class Digest(models.TextChoices):
        NEVER = "never", _("Never")
        HOURLY = "hourly", _("Every hour")
        DAILY = "daily", _("Every day")

    require_email_confirmation = models.BooleanField(
        verbose_name=_("confirm guests' email addresses"),
        default=True,
        help_text=_(
            "Recommended. A guest's first comment waits until they click a link sent "
            "to their address, so nobody can comment in someone else's name."
        ),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Linked from every comment and feedback form, next to the email field."
        ),
    )
    auto_approve_after = models.PositiveIntegerField(
        verbose_name=_("publish at once after this many approved comments"),
        default=0,
        help_text=_(
            "0 means every comment waits for a moderator. Otherwise a commenter with a "
            "confirmed address and this many published comments is trusted."
        ),
    )
    hold_links_over = models.PositiveIntegerField(
        verbose_name=_("hold comments with more links than"),
        default=2,
        help_text=_(
            "Such comments always wait for a moderator, even from trusted commenters."
        ),
    )
    blocked_words = models.TextField(
        verbose_name=_("blocked words"),
        blank=True,
        help_text=_(
            "One word or phrase per line. A comment containing one goes straight to spam."
        ),
    )
    blocked_domains = models.TextField(
        verbose_name=_("blocked domains"),
        blank=True,
        help_text=_(
            "One domain per line, e.g. spam.example. A comment from an address at, or "
            "linking to, one of them goes straight to spam."
        ),
    )
    close_after_days = models.PositiveIntegerField(
        verbose_name=_("close comments after (days)"),
        default=0,
        help_text=_(
            "0 means never. Pages first published longer ago take no new comments."
        ),
    )
    digest_frequency = models.CharField(
        verbose_name=_("moderator digest"),
        max_length=10,
        choices=Digest.choices,
        default=Digest.DAILY,
        help_text=_(
            "An email listing what waits for moderation. Nothing is sent when nothing waits."
        ),
    )
    digest_recipients = models.TextField(
        verbose_name=_("digest recipients"),
        blank=True,
        help_text=_(
            "Email addresses, one per line. Leave empty to send it to every active user "
            "who can moderate comments."
        ),
    )
    digest_last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_reminder_days = models.PositiveIntegerField(
        verbose_name=_("remind the customer after (days)"),
        default=7,
        help_text=_("One reminder, if a permission request is still unanswered."),
    )
    consent_expiry_days = models.PositiveIntegerField(
        verbose_name=_("permission requests expire after (days)"),
        default=21,
        help_text=_(
            "Then the link stops working, nothing is published, and editors are told."
        ),
    )

    # Keeping personal data (personal_data/retention.py): one period per kind.
    # Only the two older ones keep their "0 means never"; nothing needs it for
    # the others, so they take at least one day.
    anonymise_commenters_after_days = models.PositiveIntegerField(
        verbose_name=_("forget commenters' addresses after (days)"),
        default=365,
        help_text=_(
            "Days after a commenter's last comment or edit. Their comments stay, "
            "without the address (so no more notices). 0 means never."
        ),
    )
    forget_recipients_after_days = models.PositiveIntegerField(
        verbose_name=_("forget whom emails went to after (days)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after an email was queued. Sent and failed emails keep their "
            "subject and dates in the outbox, not their recipients: after this, "
            "nobody can check whether an email went to a particular person."
        ),
    )
    forget_networks_after_days = models.PositiveIntegerField(
        verbose_name=_("forget senders' networks after (days)"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Comments, feedback and customers' answers keep the sender's network "
            "(/24 or /48, never the full IP address) to trace abuse. After this "
            "many days it is cleared, and they can no longer be traced to one."
        ),
    )
    purge_unconfirmed_after_days = models.PositiveIntegerField(
        verbose_name=_("delete unconfirmed and spam comments after (days)"),
        default=30,
        help_text=_(
            "Comments never confirmed by email, and spam, are deleted for good. "
            "0 means never."
        ),
    )
    delete_feedback_after_days = models.PositiveIntegerField(
        verbose_name=_("delete feedback after (days)"),
        default=730,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after it was received. The feedback, with the customer's name "
            "and address, is deleted for good; a testimonial drafted from it stays, "
            "with its own copy of the words."
        ),
    )
    forget_customers_after_days = models.PositiveIntegerField(
        verbose_name=_("forget testimonial customers' addresses after (days)"),
        default=365,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Days after the last permission request, answer or edit; never while a "
            "request waits for the customer. The testimonial stays as it is and the "
            "customer can still withdraw from the link in our email, but to ask "
            "them again an editor must type their address."
        ),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("require_email_confirmation"), FieldPanel("privacy_page")],
            heading=_("Commenters"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("auto_approve_after"),
                FieldPanel("hold_links_over"),
                FieldPanel("blocked_words"),
                FieldPanel("blocked_domains"),
                FieldPanel("close_after_days"),
            ],
            heading=_("Policy for new comments"),
        ),
        MultiFieldPanel(
            [FieldPanel("digest_frequency"), FieldPanel("digest_recipients")],
            heading=_("Moderator digest"),
        ),
        MultiFieldPanel(
            [FieldPanel("consent_reminder_days"), FieldPanel("consent_expiry_days")],
            heading=_("Testimonial permission"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("anonymise_commenters_after_days"),
                FieldPanel("forget_recipients_after_days"),
                FieldPanel("forget_networks_after_days"),
                FieldPanel("purge_unconfirmed_after_days"),
                FieldPanel("delete_feedback_after_days"),
                FieldPanel("forget_customers_after_days"),
            ],
            heading=_("Keeping personal data"),
        ),
    ]

    class Meta:
        verbose_name = _("moderation")

    def is_closed(self, page):
        """Old pages stop taking comments when the site says so."""
        if not self.close_after_days or not page.first_published_at:
            return False
        age = timezone.now() - page.first_published_at
        return age > datetime.timedelta(days=self.close_after_days)

    def blocked_reason(self, *, email, html):
        """Why a comment is spam by policy, or None."""
        text = re.sub(r"<[^>]+>", " ", html).lower()
        for word in _lines(self.blocked_words):
            if word in text:
                return "word"
        # Every host-like word, linked or not: "www.spam.example" counts too.
        hosts = {email.rpartition("@")[2].lower()} | set(
            re.findall(r"(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}", html.lower())
        )
        for domain in _lines(self.blocked_domains):
            if any(host == domain or host.endswith("." + domain) for host in hosts):
                return "domain"
        return None

    def privacy_url(self, request):
        """Linked from every form that asks for an email address."""
        return self.privacy_page.get_url(request) if self.privacy_page else None

    def recipients(self):
        return [line for line in _lines(self.digest_recipients) if "@" in line]


def _lines(text):
    return [
        line.strip().lower()
        for line in (text or "").replace(",", "\n").splitlines()
        if line.strip()
    ]
