"""System checks (``manage.py check``) for what a host site must set up: each
message says what is wrong and what to write.
https://docs.djangoproject.com/en/5.2/topics/checks/
"""

from django.conf import settings
from django.core.checks import Error, Warning, register

OUTBOX_BACKEND = "moderation.outbox.backend.OutboxEmailBackend"
# What Django's test runners put in EMAIL_BACKEND for a test run: not the site's choice.
TEST_RUNNER_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@register()
def check_email_goes_through_the_outbox(app_configs, **kwargs):
    """Promise 4 needs every email written to the outbox in the caller's
    transaction, and a real backend behind it for the workers."""
    errors = []
    if settings.EMAIL_BACKEND not in (OUTBOX_BACKEND, TEST_RUNNER_BACKEND):
        errors.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND!r}, so emails are sent "
                "during the request and are lost if sending fails.",
                hint=f'Set EMAIL_BACKEND = "{OUTBOX_BACKEND}" and put your real '
                "backend in MODERATION_DELIVERY_EMAIL_BACKEND.",
                id="moderation.E001",
            )
        )
    if getattr(settings, "MODERATION_DELIVERY_EMAIL_BACKEND", None) == OUTBOX_BACKEND:
        errors.append(
            Error(
                "MODERATION_DELIVERY_EMAIL_BACKEND is the outbox itself, so no "
                "email would ever leave it.",
                hint="Set it to the backend that really sends, e.g. "
                '"django.core.mail.backends.smtp.EmailBackend".',
                id="moderation.E002",
            )
        )
    return errors


@register()
def check_celery_app(app_configs, **kwargs):
    """The outbox and the periodic jobs run on the host's Celery app."""
    from celery import current_app

    if current_app.main in (None, "default"):  # Celery's fallback app
        return [
            Error(
                "No Celery app is configured, so no worker will send the outbox's "
                "emails.",
                hint="Create one as in Celery's Django guide (a celery.py beside "
                'your settings, app.config_from_object("django.conf:settings", '
                'namespace="CELERY"), imported from the package\'s __init__.py) '
                "and run a worker.",
                id="moderation.E003",
            )
        ]
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {}
    tasks = {entry.get("task") for entry in schedule.values()}
    if "moderation.outbox.tasks.dispatch_outbox" not in tasks:
        return [
            Warning(
                "Celery beat does not run the app's periodic jobs: emails whose "
                "first delivery failed, reminders, scheduled publishing and "
                "retention would wait forever.",
                hint="from moderation.beat import beat_schedule; "
                "CELERY_BEAT_SCHEDULE = {**beat_schedule(), ...}",
                id="moderation.W001",
            )
        ]
    return []


@register()
def check_base_template(app_configs, **kwargs):
    """The app's pages extend the host's layout (moderation/rendering.py): a
    missing one would make each of them an error page."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    from .conf import setting

    name = setting("BASE_TEMPLATE")
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"MODERATION_BASE_TEMPLATE is {name!r}, and no such template is found, "
                "so the app's pages cannot be shown.",
                hint="Set MODERATION_BASE_TEMPLATE to your site's layout: a template "
                "with the blocks title, content, extra_css and extra_js, like the "
                "base.html that `wagtail start` makes.",
                id="moderation.E004",
            )
        ]
    return []


@register()
def check_no_gravatar(app_configs, **kwargs):
    """Promise 1 covers staff too: Wagtail's admin would otherwise fetch every
    staff picture from Gravatar by a hash of the staff member's address."""
    if getattr(settings, "WAGTAIL_GRAVATAR_PROVIDER_URL", "gravatar") is None:
        return []
    return [
        Warning(
            "The Wagtail admin asks Gravatar for staff pictures, sending a hash "
            "of each staff member's email address to a third party.",
            hint="Set WAGTAIL_GRAVATAR_PROVIDER_URL = None: staff then see a "
            "default picture or the one they upload in their account settings.",
            id="moderation.W002",
        )
    ]
