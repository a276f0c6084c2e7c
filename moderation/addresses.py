"""Email addresses as people type them: which ones we accept, and how two are
compared. Every form and model field that takes an address uses these, and
everything that matches one address against another."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

LOCAL_PART_MAX = 64  # RFC 5321, 4.5.3.1.1


def normalize(address):
    """Mail servers ignore case in practice, so we do when matching addresses."""
    return (address or "").strip().lower()


def matching(queryset, field, address):
    """The rows of ``queryset`` whose ``field`` is ``address`` in any case: the
    database's side of ``normalize`` (``Lower`` folds every letter on both
    databases; see ``moderation.apps``)."""
    return queryset.alias(address=Lower(field)).filter(address=normalize(address))


def validate_deliverable(value):
    """What Django's ``EmailValidator`` lets through but mail cannot carry: a
    control character (allowed in a quoted local part, refused by Python's email
    package as a header injection, so such a comment could never be confirmed),
    or a local part longer than SMTP allows."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _(
                "This address contains an invisible control character, which email "
                "cannot carry. Please type it again."
            ),
            code="control_character",
        )
    local = value.rpartition("@")[0]
    if len(local) > LOCAL_PART_MAX:
        raise ValidationError(
            _(
                "The part before the @ can be at most %(limit)d characters long; "
                "this one has %(length)d."
            ),
            code="local_part_length",
            params={"limit": LOCAL_PART_MAX, "length": len(local)},
        )


class EmailAddressField(forms.EmailField):
    """An address we can write to (model fields take ``validate_deliverable``)."""

    default_validators = [validate_email, validate_deliverable]
