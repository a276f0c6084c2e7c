"""Celery tasks: thin wrappers that take ids and call the logic modules. The
outbox's own live in ``outbox/tasks.py``; importing them here is how Celery's
autodiscovery (which imports each app's ``tasks``) finds them.

https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
"""

from celery import shared_task
from django.core.management import call_command

from .comments import digest
from .outbox.tasks import deliver_email, dispatch_outbox
from .personal_data import retention
from .testimonials import actions as testimonial_actions

__all__ = ["deliver_email", "dispatch_outbox"]


@shared_task(ignore_result=True)
def send_moderator_digests():
    """Celery beat, hourly: each site's digest when its frequency says it is due."""
    return digest.send_due_digests()


@shared_task(ignore_result=True)
def remind_and_expire_consent_requests():
    """Celery beat, daily: one reminder after N days, expiry after M days."""
    return testimonial_actions.send_reminders_and_expire()


@shared_task(ignore_result=True)
def apply_retention():
    """Celery beat, daily: forget addresses and purge submissions that are due."""
    return retention.apply()


@shared_task(ignore_result=True)
def publish_scheduled():
    """Celery beat, every minute: Wagtail's ``publish_scheduled`` command, which
    publishes (and unpublishes) pages and snippets whose time has come. A
    testimonial without consent is called off there, not raised (see
    ``Testimonial.publish``), so it never stops the others."""
    call_command("publish_scheduled")
