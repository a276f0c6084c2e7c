from .outbox.models import OutboxEmail

__all__ = ["OutboxEmail"]
