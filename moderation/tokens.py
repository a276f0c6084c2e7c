"""Links in emails. Signed ones carry ids only, signed with a purpose salt
(``make``, ``read``). A link whose secret is random or sealed is known again by
its hash (``hash_link``), the one form of it the database keeps.

https://docs.djangoproject.com/en/5.2/topics/signing/
"""

import hashlib

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


def hash_link(token):
    """What the database keeps of a link's secret: its SHA-256, so that a copy of
    the database opens no link, while the link still finds its row."""
    return hashlib.sha256(token.encode()).hexdigest()
