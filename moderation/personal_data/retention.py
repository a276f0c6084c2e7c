"""Keeping personal data no longer than needed (Settings → Moderation → Keeping
personal data). Celery beat runs this daily; ``manage.py apply_retention
[--dry-run]`` runs the same job by hand.

Networks are never part of this: they are cut to /24 or /48 when a request is
read (``ratelimit.client_network``), so a full IP address is never stored.
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
from .records import ERASED, relabel_log_entries

logger = logging.getLogger(__name__)
CHUNK = 500  # addresses per query: well under every database's parameter limit


def apply(now=None, *, dry_run=False):
    """Forget what is due; return how many of each. ``dry_run`` only counts."""
    now = now or timezone.now()
    policy = ModerationSettings.for_site(Site.objects.get(is_default_site=True))
    summary = {
        "commenters_forgotten": 0,
        "comments_anonymised": 0,
        "emails_forgotten": 0,
        "comments_purged": 0,
    }
    with transaction.atomic():
        if days := policy.anonymise_commenters_after_days:
            cutoff = now - datetime.timedelta(days=days)
            _forget_commenters(cutoff, summary, dry_run)
            _forget_recipients(cutoff, summary, dry_run)
        if days := policy.purge_unconfirmed_after_days:
            cutoff = now - datetime.timedelta(days=days)
            _purge_comments(cutoff, summary, dry_run)
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
