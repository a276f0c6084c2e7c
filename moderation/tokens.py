"""Signed links for emails: they carry ids only, signed with a purpose salt.

https://docs.djangoproject.com/en/5.2/topics/signing/
"""

from django.core import signing


class LinkError(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def make(purpose, object_id):
    return signing.dumps(object_id, salt=f"moderation.{purpose}", compress=False)


def read(purpose, token, max_age=None):
    """The id in ``token``; raises LinkError saying whether it expired or is forged."""
    try:
        return signing.loads(token, salt=f"moderation.{purpose}", max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("invalid") from None
