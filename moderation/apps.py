from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")
    # What the migrations were written with, whatever the host's DEFAULT_AUTO_FIELD.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Importing registers the system checks, and the app's tasks in every
        # process, not only one whose Celery app autodiscovered them: the outbox
        # queues delivery by task name, and with CELERY_TASK_ALWAYS_EAGER an
        # unknown name goes to the broker instead of running, so the email would
        # wait for a worker that may never come.
        from . import checks, tasks  # noqa: F401

        connection_created.connect(unicode_lower_on_sqlite)


def unicode_lower_on_sqlite(sender, connection, **kwargs):
    """SQLite's LOWER() folds ASCII only; PostgreSQL's folds every letter. Addresses
    are matched with ``Lower()`` (``Mueller@MÜNCHEN.example`` is
    ``mueller@münchen.example``), so make both databases agree."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "LOWER",
            1,
            lambda value: value.lower() if isinstance(value, str) else value,
            deterministic=True,
        )
