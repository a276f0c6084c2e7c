"""Who may do what: the app's permissions by the names ``user.has_perm`` takes,
and the permission policies its admin screens ask (registered in
``wagtail_hooks.py``). The models declare the permissions beyond Django's
add/change/delete/view (``Meta.permissions``); everything else names them from
here."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy

MODERATE_COMMENTS = "moderation.moderate_comment"
VIEW_COMMENTER_EMAIL = "moderation.view_email_comment"
# One permission for a customer's address, whether in their feedback or in the
# testimonial drafted from it.
VIEW_CUSTOMER_EMAIL = "moderation.view_email_feedback"
ADD_TESTIMONIAL = "moderation.add_testimonial"
CHANGE_TESTIMONIAL = "moderation.change_testimonial"
MANAGE_PERSONAL_DATA = "moderation.manage_personal_data"
VIEW_RECIPIENTS = "moderation.view_recipient_outboxemail"
RETRY_EMAIL = "moderation.retry_outboxemail"

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def addresses_of_holders(permission):
    """The addresses of the active users who hold ``permission``, directly or
    through a group (superusers too): whom a notice about it goes to. Asks
    Django's tables of permissions through ``ModelBackend``, so a site with
    other authentication backends as well gets the same answer."""
    users = get_user_model()._default_manager.with_perm(
        permission, include_superusers=True, backend=MODEL_BACKEND
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records the site writes (emails, feedback): never added, edited or deleted
    by hand."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments are written by people and changed only through moderation
    actions: nobody adds or edits one in a form. Moderators may delete."""

    def user_has_permission(self, user, action):
        if action in {"add", "change"}:
            return False
        if action in {"view", "delete"}:
            return user.has_perm(MODERATE_COMMENTS)
        return super().user_has_permission(user, action)


class PersonalDataPermissionPolicy(ModelPermissionPolicy):
    """One permission for everything about personal data: seeing the record of
    exports and erasures included."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.has_perm(MANAGE_PERSONAL_DATA)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
