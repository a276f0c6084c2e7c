from .comments.models import Comment, CommentsMixin, VerifiedEmail
from .outbox.models import OutboxEmail
from .personal_data.models import PersonalDataAction
from .settings import ModerationSettings
from .testimonials.models import (
    ConsentRecord,
    ConsentRequest,
    Feedback,
    Testimonial,
)
from .testimonials.pages import FeedbackPage, TestimonialsPage
from .testimonials.workflow import CustomerPermissionTask

__all__ = [
    "Comment",
    "CommentsMixin",
    "ConsentRecord",
    "ConsentRequest",
    "CustomerPermissionTask",
    "Feedback",
    "FeedbackPage",
    "ModerationSettings",
    "OutboxEmail",
    "PersonalDataAction",
    "Testimonial",
    "TestimonialsPage",
    "VerifiedEmail",
]
