"""Export or erase everything stored about one email address.

manage.py personal_data export someone@example.com > someone.json
manage.py personal_data erase someone@example.com --comments=keep
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from moderation.personal_data import records
from moderation.personal_data.models import PersonalDataAction


class Command(BaseCommand):
    help = "Export (as JSON) or erase everything stored about one email address."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("email")
        parser.add_argument(
            "--comments",
            choices=records.CommentChoice.values,
            help="For erase: keep the comments signed “Deleted user”, or remove them.",
        )
        parser.add_argument(
            "--output", help="For export: write the JSON here instead of stdout."
        )

    def handle(self, *args, action, email, comments, output, **options):
        try:
            validate_email(email.strip())
        except ValidationError:
            raise CommandError(f"“{email}” is not an email address.") from None
        if action == "export":
            self.export(email, output)
        else:
            if not comments:
                raise CommandError(
                    "Say what happens to the person's comments: --comments=keep "
                    "(signed “Deleted user”) or --comments=remove."
                )
            self.erase(email, comments)

    def export(self, email, output):
        document = records.export(
            email, source=PersonalDataAction.Source.COMMAND, progress=self.progress
        )
        text = records.as_json(document)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(text)

    def erase(self, email, comments):
        action = records.erase(
            email, comments=comments, source=PersonalDataAction.Source.COMMAND
        )
        counts = ", ".join(f"{n} {kind}" for kind, n in action.summary.items())
        self.stdout.write(f"Erased: {counts}.")

    def progress(self, done, total, width=30):
        """A progress bar on stderr (stdout stays pure JSON), redrawn per percent."""
        if done < total and done * 100 // total == (done - 1) * 100 // total:
            return
        filled = width * done // total
        self.stderr.write(
            f"\r[{'#' * filled}{'-' * (width - filled)}] {done}/{total} records",
            ending="\n" if done >= total else "",
        )
        self.stderr.flush()
