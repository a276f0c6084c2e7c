"""The moderator digest: what waits, by email, at the frequency the site sets.
Names and excerpts only: never a commenter's email address."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from ..emails import send_templated_email
from ..settings import ModerationSettings
from .models import Comment

INTERVALS = {
    ModerationSettings.Digest.HOURLY: datetime.timedelta(hours=1),
    ModerationSettings.Digest.DAILY: datetime.timedelta(days=1),
}
SHOWN = 50


def send_due_digests(now=None):
    """Called by Celery beat every hour; returns how many digests were queued."""
    now = now or timezone.now()
    sent = 0
    for site in Site.objects.all():
        with transaction.atomic():
            policy = ModerationSettings.for_site(site)
            policy = ModerationSettings.objects.select_for_update().get(pk=policy.pk)
            interval = INTERVALS.get(policy.digest_frequency)
            if interval is None:
                continue
            # A few minutes' grace, so an hourly beat does not skip every other hour.
            due_after = interval - datetime.timedelta(minutes=5)
            if (
                policy.digest_last_sent_at
                and now - policy.digest_last_sent_at < due_after
            ):
                continue
            if send_digest(site, policy):
                policy.digest_last_sent_at = now
                policy.save(update_fields=["digest_last_sent_at"])
                sent += 1
    return sent


def send_digest(site, policy):
    waiting = Comment.objects.pending().filter(
        page__path__startswith=site.root_page.path
    )
    count = waiting.count()
    recipients = policy.recipients() or moderator_emails()
    if not count or not recipients:
        return False
    base = site.root_url.rstrip("/")
    comments = [
        {
            "name": comment.author_name,
            "excerpt": comment.excerpt,
            "page_title": comment.page.title,
            "url": base
            + reverse("wagtailsnippets_moderation_comment:inspect", args=[comment.pk]),
        }
        for comment in waiting.select_related("page").order_by("created_at")[:SHOWN]
    ]
    send_templated_email(
        "moderation/emails/moderator_digest",
        to=recipients,
        subject=ngettext(
            "%(count)s comment waits for moderation",
            "%(count)s comments wait for moderation",
            count,
        )
        % {"count": count},
        context={
            "count": count,
            "comments": comments,
            "more": count - len(comments),
            "queue_url": base
            + reverse("wagtailsnippets_moderation_comment:list")
            + "?status=pending",
            "site_name": site.site_name or _("the site"),
        },
    )
    return True


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    can_moderate = Q(is_superuser=True) | Q(
        groups__permissions__codename="moderate_comment",
        groups__permissions__content_type__app_label="moderation",
    )
    return sorted(set(users.filter(can_moderate).values_list("email", flat=True)))
