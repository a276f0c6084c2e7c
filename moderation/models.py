from .comments.models import Comment, CommentsMixin, VerifiedEmail
from .outbox.models import OutboxEmail
from .personal_data.models import PersonalDataAction
from .settings import ModerationSettings
from .testimonials.models import (
    ConsentRecord,
    ConsentRequest,
    CustomerPermissionTask,
    Feedback,
    FeedbackPage,
    Testimonial,
    TestimonialsPage,
)

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
