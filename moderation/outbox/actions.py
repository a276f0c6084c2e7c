"""State changes of outbox emails made by people: like every state change, through
one action function ("Architecture and its rules" in docs/design.md)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log

from ..permissions import RETRY_EMAIL
from . import delivery


def retry_email(email, user):
    """Send a failed email again. False, and no change, if it had not failed."""
    if not user.has_perm(RETRY_EMAIL):
        raise PermissionDenied
    with transaction.atomic():
        if not delivery.retry(email):
            return False
        log(instance=email, action="moderation.outbox.retry", user=user)
    return True
