"""Registrations only; the views live in viewsets.py and outbox/views.py."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .outbox.models import OutboxEmail
from .outbox.views import ReadOnlyPermissionPolicy
from .viewsets import ModerationViewSetGroup

register_permission_policy(OutboxEmail, ReadOnlyPermissionPolicy(OutboxEmail))


@hooks.register("register_admin_viewset")
def register_moderation_menu():
    return ModerationViewSetGroup()


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    actions.register_action(
        "moderation.outbox.retry",
        _("Retry email"),
        _("Failed email queued to be sent again"),
    )
