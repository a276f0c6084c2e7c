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


LOG_ACTIONS = [
    (
        "moderation.outbox.retry",
        _("Retry email"),
        _("Failed email queued to be sent again"),
    ),
    ("moderation.comment.post", _("Post comment"), _("Comment posted")),
    (
        "moderation.comment.confirm",
        _("Confirm email"),
        _("Commenter confirmed their email"),
    ),
    ("moderation.comment.approve", _("Approve comment"), _("Comment approved")),
    ("moderation.comment.reject", _("Reject comment"), _("Comment rejected")),
    ("moderation.comment.spam", _("Mark as spam"), _("Comment marked as spam")),
    ("moderation.comment.edit", _("Edit comment"), _("Comment edited by its author")),
    (
        "moderation.comment.delete",
        _("Delete comment"),
        _("Comment deleted by its author"),
    ),
    (
        "moderation.comment.unsubscribe",
        _("Unsubscribe"),
        _("Commenter stopped notices"),
    ),
]


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)
