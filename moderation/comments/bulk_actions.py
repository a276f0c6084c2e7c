"""The comment listing's bulk actions (registered in ``wagtail_hooks.py``): each
calls ``actions`` for every comment chosen, as a moderator would one by one."""

from django.utils.translation import gettext_lazy, ngettext_lazy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..admin_doors import PolicyCheckedBulkActionMixin
from ..permissions import MODERATE_COMMENTS
from . import actions
from .models import Comment


class CommentBulkAction(PolicyCheckedBulkActionMixin, SnippetBulkAction):
    models = [Comment]
    permission_policy_action = "moderate"  # moderation.moderate_comment
    template_name = "moderation/comments/bulk_confirm.html"
    action = None  # a function of ``actions``
    done_message = ""

    def check_perm(self, obj):
        return self.request.user.has_perm(MODERATE_COMMENTS)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        user = kwargs["self"].request.user  # Wagtail passes the view, not the user
        for comment in objects:
            cls.action(comment, user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.done_message % {"count": num_parent_objects}


class ApproveBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Approve")
    aria_label = gettext_lazy("Approve selected comments")
    action_type = "approve"
    done_message = ngettext_lazy(
        "%(count)s comment approved.", "%(count)s comments approved.", "count"
    )

    @classmethod
    def execute_action(cls, objects, **kwargs):
        # One pass for all of them: approving 1,000 costs a fixed number of queries.
        actions.approve_many(objects, kwargs["self"].request.user)
        return len(objects), 0


class RejectBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Reject")
    aria_label = gettext_lazy("Reject selected comments")
    action_type = "reject"
    action = staticmethod(actions.reject)
    done_message = ngettext_lazy(
        "%(count)s comment rejected.", "%(count)s comments rejected.", "count"
    )


class SpamBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Spam")
    aria_label = gettext_lazy("Mark selected comments as spam")
    action_type = "spam"
    action = staticmethod(actions.mark_spam)
    done_message = ngettext_lazy(
        "%(count)s comment marked as spam.",
        "%(count)s comments marked as spam.",
        "count",
    )


class RestoreBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Restore")
    aria_label = gettext_lazy("Put selected comments back in the queue")
    action_type = "restore"
    action = staticmethod(actions.restore)
    done_message = ngettext_lazy(
        "%(count)s comment back in the queue.",
        "%(count)s comments back in the queue.",
        "count",
    )


class DeleteBulkAction(CommentBulkAction):
    display_name = gettext_lazy("Delete")
    aria_label = gettext_lazy("Delete selected comments")
    action_type = "delete"
    action = staticmethod(actions.delete)
    done_message = ngettext_lazy(
        "%(count)s comment deleted.", "%(count)s comments deleted.", "count"
    )
    classes = {"serious"}


BULK_ACTIONS = [
    ApproveBulkAction,
    RejectBulkAction,
    SpamBulkAction,
    RestoreBulkAction,
    DeleteBulkAction,
]
