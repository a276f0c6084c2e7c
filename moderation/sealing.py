"""Encrypt what must wait somewhere readable: an email in the outbox, an address
inside a self-service link.

Django signs but does not encrypt, so this uses ``cryptography``'s Fernet
(AES-128-CBC + HMAC). Keys are derived from SECRET_KEY and SECRET_KEY_FALLBACKS,
one per purpose, so rotating the secret key keeps sealed data readable and a
token sealed for one purpose is useless for another.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet(purpose):
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        f"moderation.{purpose}",
                        "sealed-message",
                        secret=key,
                        algorithm="sha256",
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def seal(data, purpose="outbox"):
    return _fernet(purpose).encrypt(json.dumps(data).encode()).decode()


def unseal(token, purpose="outbox", max_age=None):
    """The sealed data; raises ``InvalidToken`` if forged or older than ``max_age`` seconds."""
    return json.loads(_fernet(purpose).decrypt(token.encode(), ttl=max_age))
