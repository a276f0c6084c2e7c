from .comments.models import Comment, VerifiedEmail
from .outbox.models import OutboxEmail
from .settings import ModerationSettings

__all__ = ["Comment", "ModerationSettings", "OutboxEmail", "VerifiedEmail"]
