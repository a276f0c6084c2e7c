"""Keeping email addresses private (promise 1 in docs/design.md)."""

import re

from django.core.exceptions import PermissionDenied
from wagtail.log_actions import log

from .conf import setting
from .emails import site_name

# Loose on purpose: anything that looks like an address is hidden, with a
# quoted local part (``"john doe"@example.com``, spaces and escaped quotes
# included), an apostrophe (``o'hara@…``) or an address literal for a domain
# (``user@[192.0.2.1]``) too.
EMAIL_PATTERN = re.compile(
    r"""(?:"(?:[^"\\\r\n]|\\.)*"|[^\s<>()\[\],;:"])+"""
    r"""@(?:\[[^\]\s]+\]|[^\s<>()\[\],;:"']+)"""
)


def mask_email(address):
    """``jane.doe@example.com`` → ``j•••@e•••.com``: tells two apart, can't be used."""
    if not address or "@" not in address:
        return "•••"
    local, _sep, domain = address.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    if not dot:
        host, tld = domain, ""
    return f"{local[:1]}•••@{host[:1]}•••{dot}{tld}"


def redact_emails(text):
    """Mask every address in free text, e.g. an SMTP server's error message."""
    return EMAIL_PATTERN.sub(lambda match: mask_email(match.group(0)), text or "")


def reveal_email(instance, user, *, field, permission, action):
    """Hand one private address to a user allowed to see it, and keep a record:
    a Wagtail log entry says who (``user``), whose (``instance``) and when. The
    entry never holds the address itself. Raises PermissionDenied, logging
    nothing, without ``permission``."""
    if not user.has_perm(permission):
        raise PermissionDenied
    log(instance=instance, action=action, user=user)
    return getattr(instance, field)


# Unicode's Bidi_Control characters. They reorder the text around them, so a
# name holding one can display as another name, or swallow the words after it.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_name(name):
    """A name as others see it: without bidirectional control characters."""
    return BIDI_CONTROLS.sub("", name or "")


def public_name(user):
    """What a signed-in user is called in public: their username (promise 2),
    unless that is an email address, which is never shown."""
    name = user.get_username()
    if "@" in name:
        name = user.get_full_name() or name.partition("@")[0]
    return shown_name(name)


def site_signature(user):
    """The name on what an editor writes as the site: the site's name, or with
    ``MODERATION_SITE_REPLY_SIGNATURE = "editor"`` the editor's own full name
    (their public name without one). Never a login name by default."""
    if setting("SITE_REPLY_SIGNATURE") == "editor":
        return shown_name(user.get_full_name()) or public_name(user)
    return site_name()
