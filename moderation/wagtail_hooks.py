"""Registrations only. The menu's viewsets are gathered in ``viewsets.py``, the
permission policies are in ``permissions.py``, and the views, bulk actions and
dashboard panels in each part's ``admin_views.py``, ``bulk_actions.py`` and
``dashboard.py`` (``outbox/views.py`` for the outbox)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .comments.bulk_actions import BULK_ACTIONS as COMMENT_BULK_ACTIONS
from .comments.dashboard import PendingCommentsPanel, PendingCommentsSummaryItem
from .comments.models import Comment
from .compat import register_permission_policy
from .outbox.models import OutboxEmail
from .permissions import (
    CommentPermissionPolicy,
    PersonalDataPermissionPolicy,
    ReadOnlyPermissionPolicy,
)
from .personal_data.models import PersonalDataAction
from .testimonials.admin_views import (
    TestimonialDeleteBulkAction,
    refuse_publish_without_consent,
)
from .testimonials.dashboard import (
    AwaitingCustomersPanel,
    replace_wagtails_workflow_panel,
)
from .testimonials.models import Feedback
from .viewsets import ModerationViewSetGroup

register_permission_policy(OutboxEmail, ReadOnlyPermissionPolicy(OutboxEmail))
register_permission_policy(Feedback, ReadOnlyPermissionPolicy(Feedback))
register_permission_policy(
    PersonalDataAction, PersonalDataPermissionPolicy(PersonalDataAction)
)
register_permission_policy(Comment, CommentPermissionPolicy(Comment))


@hooks.register("register_admin_viewset")
def register_moderation_menu():
    return ModerationViewSetGroup()


LOG_ACTIONS = [
    (
        "moderation.outbox.retry",
        _("Retry email"),
        _("Failed email queued to be sent again"),
    ),
    (
        "moderation.outbox.reveal_recipients",
        _("Reveal recipients"),
        _("Recipients' addresses shown"),
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
    (
        "moderation.comment.restore",
        _("Restore comment"),
        _("Comment back in the queue"),
    ),
    (
        "moderation.comment.remove",
        _("Remove comment"),
        _("Comment removed by a moderator"),
    ),
    ("moderation.comment.email_author", _("Email commenter"), _("Commenter emailed")),
    (
        "moderation.comment.reveal_email",
        _("Reveal email"),
        _("Commenter's address shown"),
    ),
    ("moderation.feedback.receive", _("Receive feedback"), _("Feedback received")),
    (
        "moderation.feedback.reveal_email",
        _("Reveal email"),
        _("Customer's address shown"),
    ),
    (
        "moderation.feedback.draft_testimonial",
        _("Draft testimonial"),
        _("Testimonial drafted from feedback"),
    ),
    (
        "moderation.testimonial.request",
        _("Ask permission"),
        _("Permission asked of the customer"),
    ),
    ("moderation.testimonial.remind", _("Remind customer"), _("Customer reminded")),
    (
        "moderation.testimonial.reveal_email",
        _("Reveal email"),
        _("Customer's address shown"),
    ),
    (
        "moderation.testimonial.consent_granted",
        _("Permission granted"),
        _("The customer said yes"),
    ),
    (
        "moderation.testimonial.consent_declined",
        _("Permission declined"),
        _("The customer said no"),
    ),
    (
        "moderation.testimonial.consent_withdrawn",
        _("Permission withdrawn"),
        _("The customer withdrew permission"),
    ),
    (
        "moderation.testimonial.consent_expired",
        _("Request expired"),
        _("No answer in time"),
    ),
    (
        "moderation.testimonial.schedule_called_off",
        _("Scheduled publishing called off"),
        _("Not published at its scheduled time: the customer has not agreed"),
    ),
    (
        "moderation.testimonial.take_down",
        _("Take down for erasure"),
        _("Taken down and emptied: the customer asked for their data to be erased"),
    ),
    (
        "moderation.testimonial.forget_customer",
        _("Forget customer's address"),
        _("The customer's address was forgotten, as Settings → Moderation says"),
    ),
    (
        "moderation.personal_data.export",
        _("Export personal data"),
        _("A person's data exported"),
    ),
    (
        "moderation.personal_data.erase",
        _("Erase personal data"),
        _("A person's data erased"),
    ),
]


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


for bulk_action in [*COMMENT_BULK_ACTIONS, TestimonialDeleteBulkAction]:
    # After Wagtail's own snippet actions, so our "delete"s win.
    hooks.register("register_bulk_action", bulk_action, order=100)


@hooks.register("construct_homepage_panels")
def add_pending_comments_panel(request, panels):
    panels.append(PendingCommentsPanel(request))


@hooks.register("construct_homepage_summary_items")
def add_pending_comments_summary(request, items):
    items.append(PendingCommentsSummaryItem(request))


hooks.register("before_publish", refuse_publish_without_consent)


@hooks.register("construct_homepage_panels")
def add_awaiting_customers_panel(request, panels):
    panels.append(AwaitingCustomersPanel(request))


hooks.register("construct_homepage_panels", replace_wagtails_workflow_panel)
