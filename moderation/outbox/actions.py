"""State changes of outbox emails made by people (see STYLE.md, habit 3)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from . import delivery

RETRY_PERMISSION = "moderation.retry_outboxemail"


def retry_email(email, user):
    """Send a failed email again. False, and no change, if it had not failed."""
    if not user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied
    with transaction.atomic():
        if not delivery.retry(email):
            return False
        log(instance=email, action="moderation.outbox.retry", user=user)
    return True
