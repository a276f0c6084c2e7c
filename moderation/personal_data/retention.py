"""Keeping personal data no longer than needed (Settings → Moderation → Keeping
personal data). Celery beat runs this daily; ``manage.py apply_retention
[--dry-run]`` runs the same job by hand.

Every kind of personal data has its own period: commenters' addresses, whom
outbox emails went to, senders' networks (wherever one is stored), unconfirmed
and spam comments, feedback, and testimonial customers' addresses. Networks are
already cut to /24 or /48 when a request is read (``ratelimit.client_network``),
so a full IP address is never stored.
"""

import datetime
import logging

from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from ..comments.models import Comment, VerifiedEmail
from ..outbox.models import OutboxEmail
from ..settings import ModerationSettings
from ..testimonials import actions as testimonial_actions
from ..testimonials.consent import ConsentRecord, ConsentRequest
from ..testimonials.models import Feedback, Testimonial
from .records import ERASED, relabel_log_entries

logger = logging.getLogger(__name__)
CHUNK = 500  # ids per query: well under every database's parameter limit
KINDS = (  # the summary's keys, in the order the job applies them
    "commenters_forgotten",
    "comments_anonymised",
    "emails_forgotten",
    "networks_forgotten",
    "customers_forgotten",
    "comments_purged",
    "feedback_deleted",
)


def apply(now=None, *, dry_run=False):
    """Forget what is due; return how many of each. ``dry_run`` only counts.
    Deletions come last, so a dry run counts what the real run changes."""
    now = now or timezone.now()
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))

    def cutoff(days):
        return now - datetime.timedelta(days=days)

    summary = dict.fromkeys(KINDS, 0)
    with transaction.atomic():
        if days := policy.anonymise_commenters_after_days:
            _forget_commenters(cutoff(days), summary, dry_run)
        _forget_recipients(
            cutoff(policy.forget_recipients_after_days), summary, dry_run
        )
        _forget_networks(cutoff(policy.forget_networks_after_days), summary, dry_run)
        _forget_customers(cutoff(policy.forget_customers_after_days), summary, dry_run)
        if days := policy.purge_unconfirmed_after_days:
            _purge_comments(cutoff(days), summary, dry_run)
        _delete_feedback(cutoff(policy.delete_feedback_after_days), summary, dry_run)
    if not dry_run:
        logger.info("Retention: %s", ", ".join(f"{k}={v}" for k, v in summary.items()))
    return summary


def _forget_commenters(cutoff, summary, dry_run):
    """Addresses whose last comment or edit is older than ``cutoff``."""
    due = list(
        Comment.objects.exclude(author_email="")
        .values(address=Lower("author_email"))
        .annotate(last=Max(Coalesce("edited_at", "created_at")))
        .filter(last__lt=cutoff)
        .values_list("address", flat=True)
    )
    summary["commenters_forgotten"] = len(due)
    for start in range(0, len(due), CHUNK):
        chunk = due[start : start + CHUNK]
        comments = Comment.objects.annotate(address=Lower("author_email")).filter(
            address__in=chunk
        )
        pks = list(comments.values_list("pk", flat=True))
        summary["comments_anonymised"] += len(pks)
        if dry_run:
            continue
        Comment.objects.filter(pk__in=pks).update(
            author_email="", notify_on_approval=False, notify_on_reply=False
        )
        VerifiedEmail.objects.filter(email__in=chunk).delete()


def _forget_recipients(cutoff, summary, dry_run):
    """Old emails keep their subject and dates, for the outbox's history, not
    whom they went to."""
    old = OutboxEmail.objects.filter(
        status__in=[OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED],
        created_at__lt=cutoff,
    ).exclude(recipients=[ERASED])
    summary["emails_forgotten"] = old.count()
    if not dry_run:
        old.update(recipients=[ERASED], sealed_message="")


def _forget_networks(cutoff, summary, dry_run):
    """A network helps against abuse while it is fresh. Consent records are
    evidence, written once (``ConsentRecord.save`` refuses changes): as erasure
    does, an update clears only the network and keeps hash, dates, answer and
    method."""
    for rows in (
        Comment.objects.filter(created_at__lt=cutoff),
        Feedback.objects.filter(created_at__lt=cutoff),
        ConsentRecord.objects.filter(answered_at__lt=cutoff),
    ):
        rows = rows.exclude(ip_network="")
        summary["networks_forgotten"] += (
            rows.count() if dry_run else rows.update(ip_network="")
        )


def _forget_customers(cutoff, summary, dry_run):
    """A testimonial's customer address is needed to ask, remind and confirm,
    never to withdraw (that link names the request). So it goes once nothing has
    happened since ``cutoff`` (no request, answer or edit), and never while a
    request waits for the customer."""
    quiet = list(
        Testimonial.objects.exclude(customer_email="")
        .filter(created_at__lt=cutoff)
        .exclude(consent_requests__status=ConsentRequest.Status.AWAITING)
        .exclude(consent_requests__created_at__gte=cutoff)
        .exclude(consent_records__answered_at__gte=cutoff)
        .exclude(latest_revision__created_at__gte=cutoff)
    )
    summary["customers_forgotten"] = (
        len(quiet) if dry_run else sum(map(testimonial_actions.forget_customer, quiet))
    )


def _purge_comments(cutoff, summary, dry_run):
    """Never confirmed, or spam: nobody will read them."""
    stale = Comment.objects.filter(
        status__in=[Comment.Status.UNCONFIRMED, Comment.Status.SPAM],
        created_at__lt=cutoff,
    )
    pks = list(stale.values_list("pk", flat=True))
    summary["comments_purged"] = len(pks)
    if not dry_run:
        relabel_log_entries(Comment, pks, _("Deleted comment"))
        Comment.objects.filter(pk__in=pks).delete()


def _delete_feedback(cutoff, summary, dry_run):
    """A testimonial drafted from feedback has its own copy of the words and
    address; its link to the feedback is set to null (revisions too, as Wagtail
    reads them)."""
    pks = list(
        Feedback.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)
    )
    summary["feedback_deleted"] = len(pks)
    if dry_run:
        return
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        relabel_log_entries(Feedback, chunk, _("Deleted feedback"))
        Feedback.objects.filter(pk__in=chunk).delete()
