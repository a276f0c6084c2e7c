"""The moderator digest: what waits, by email, at the frequency the site sets.
Names and excerpts only: never a commenter's email address."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from ..emails import absolute_url, send_templated_email
from ..permissions import MODERATE_COMMENTS, addresses_of_holders
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
    recipients = policy.recipients() or addresses_of_holders(MODERATE_COMMENTS)
    if not count or not recipients:
        return False
    comments = [
        {
            "name": comment.author_name,
            "excerpt": comment.excerpt,
            "page_title": comment.page.title,
            "url": absolute_url(
                reverse(
                    "wagtailsnippets_moderation_comment:inspect", args=[comment.pk]
                ),
                site,
            ),
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
            "queue_url": absolute_url(
                reverse("wagtailsnippets_moderation_comment:list") + "?status=pending",
                site,
            ),
            "site_name": site.site_name or _("the site"),
        },
    )
    return True
