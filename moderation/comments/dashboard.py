"""What waits for the moderators, on the Wagtail dashboard (registered in
``wagtail_hooks.py``)."""

import datetime

from django.db.models import Count, Min
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import ngettext
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.components import Component

from ..permissions import MODERATE_COMMENTS
from .models import Comment

Status = Comment.Status


class PendingCommentsPanel(Component):
    """What waits, and 30 days of moderation at a glance (a table with bars: no JS)."""

    name = "pending_comments"
    order = 50
    template_name = "moderation/comments/admin/dashboard_panel.html"
    days = 30

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        if not self.request.user.has_perm(MODERATE_COMMENTS):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        waiting = Comment.objects.pending().aggregate(
            count=Count("pk"), oldest=Min("created_at")
        )
        today = timezone.localdate()
        first = today - datetime.timedelta(days=self.days - 1)
        counts = (
            Comment.objects.filter(
                created_at__date__gte=first,
                status__in=[Status.APPROVED, Status.REJECTED, Status.SPAM],
            )
            .annotate(day=TruncDate("created_at"))
            .values("day", "status")
            .annotate(n=Count("pk"))
        )
        per_day = {first + datetime.timedelta(days=n): {} for n in range(self.days)}
        for row in counts:
            per_day.setdefault(row["day"], {})[row["status"]] = row["n"]
        peak = max([sum(day.values()) for day in per_day.values()] + [1])
        return {
            "waiting": waiting,
            "queue_url": reverse("wagtailsnippets_moderation_comment:list")
            + "?status=pending",
            "peak": peak,
            "days": [
                {
                    "date": day,
                    "approved": values.get(Status.APPROVED, 0),
                    "rejected": values.get(Status.REJECTED, 0),
                    "spam": values.get(Status.SPAM, 0),
                    "percent": {
                        key: round(100 * values.get(status, 0) / peak)
                        for key, status in (
                            ("approved", Status.APPROVED),
                            ("rejected", Status.REJECTED),
                            ("spam", Status.SPAM),
                        )
                    },
                }
                for day, values in sorted(per_day.items())
            ],
        }


class PendingCommentsSummaryItem(SummaryItem):
    order = 300

    def is_shown(self):
        return self.request.user.has_perm(MODERATE_COMMENTS)

    def render_html(self, parent_context=None):
        count = Comment.objects.pending().count()
        url = reverse("wagtailsnippets_moderation_comment:list") + "?status=pending"
        return format_html(
            '<li><svg class="icon icon-comment icon" aria-hidden="true"><use href="#icon-comment"></use></svg>'
            '<a href="{}">{}</a></li>',
            url,
            ngettext("%(count)s pending comment", "%(count)s pending comments", count)
            % {"count": count},
        )
