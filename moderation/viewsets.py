"""The "Moderation" menu: one group for every moderation screen."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup

from .comments.admin_views import CommentViewSet
from .outbox.views import OutboxViewSet
from .personal_data.admin_views import PersonalDataViewSet
from .testimonials.admin_views import FeedbackViewSet, TestimonialViewSet


class ModerationViewSetGroup(ViewSetGroup):
    menu_label = _("Moderation")
    menu_icon = "tasks"
    menu_order = 250
    items = (
        CommentViewSet,
        FeedbackViewSet,
        TestimonialViewSet,
        PersonalDataViewSet,
        OutboxViewSet,
    )
