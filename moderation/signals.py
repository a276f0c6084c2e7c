"""Signals sent by the actions modules, after the change is saved."""

from django.dispatch import Signal

# sender=Comment, comment=<Comment>, previous_status=<str>, user=<User or None>
comment_status_changed = Signal()
