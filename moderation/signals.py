"""Signals sent by the actions modules, after the change is saved: an extension
point for a host site (e.g. to purge a front-end cache when a comment is
published); the app itself does not listen."""

from django.dispatch import Signal

# sender=Comment, comment=<Comment>, previous_status=<str>, user=<User or None>
comment_status_changed = Signal()
