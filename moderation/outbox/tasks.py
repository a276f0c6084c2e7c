"""The outbox's Celery tasks: thin wrappers around ``delivery``.

https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
"""

from celery import shared_task

from . import delivery


@shared_task(ignore_result=True)
def deliver_email(pk):
    """Send one outbox email (queued when the transaction that wrote it commits)."""
    return delivery.deliver(pk)


@shared_task(ignore_result=True)
def dispatch_outbox():
    """Celery beat: send whatever is due that no worker has picked up."""
    return delivery.dispatch()
