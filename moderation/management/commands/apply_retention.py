"""Apply the retention periods (Settings → Moderation → Keeping personal data),
as the daily job does.

manage.py apply_retention --dry-run
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.personal_data import retention

LABELS = {
    "commenters_forgotten": gettext_lazy("commenters' addresses forgotten"),
    "comments_anonymised": gettext_lazy("comments left without an address"),
    "emails_forgotten": gettext_lazy("old emails' recipients forgotten"),
    "networks_forgotten": gettext_lazy(
        "senders' networks forgotten (comments, feedback, customers' answers)"
    ),
    "customers_forgotten": gettext_lazy("testimonial customers' addresses forgotten"),
    "comments_purged": gettext_lazy("unconfirmed or spam comments deleted"),
    "feedback_deleted": gettext_lazy("feedback deleted"),
}


class Command(BaseCommand):
    help = "Apply the retention settings (Settings → Moderation) now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would change."
        )

    def handle(self, *args, dry_run, **options):
        summary = retention.apply(dry_run=dry_run)
        self.stdout.write(_("Would change (dry run):") if dry_run else _("Changed:"))
        for key, count in summary.items():
            self.stdout.write(f"  {count:>6}  {LABELS[key]}")
