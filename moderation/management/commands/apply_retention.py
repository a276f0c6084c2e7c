"""Forget commenters' addresses and purge stale submissions, as the daily job does.

manage.py apply_retention --dry-run
"""

from django.core.management.base import BaseCommand

from moderation.personal_data import retention

LABELS = {
    "commenters_forgotten": "commenters' addresses forgotten",
    "comments_anonymised": "comments left without an address",
    "emails_forgotten": "old emails' recipients forgotten",
    "comments_purged": "unconfirmed or spam comments deleted",
}


class Command(BaseCommand):
    help = "Apply the retention settings (Settings → Moderation) now."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would change."
        )

    def handle(self, *args, dry_run, **options):
        summary = retention.apply(dry_run=dry_run)
        heading = "Would change (dry run):" if dry_run else "Changed:"
        self.stdout.write(heading)
        for key, count in summary.items():
            self.stdout.write(f"  {count:>6}  {LABELS[key]}")
