from .comments.models import Comment, CommentsMixin, VerifiedEmail
from .outbox.models import OutboxEmail
from .personal_data.models import PersonalDataAction
from .settings import ModerationSettings
from .testimonials.consent import ConsentRecord, ConsentRequest
from .testimonials.models import Feedback, Testimonial
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
