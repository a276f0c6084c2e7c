"""Encrypt an email while it waits in the outbox.

Django signs but does not encrypt, so this uses ``cryptography``'s Fernet
(AES-128-CBC + HMAC). Keys are derived from SECRET_KEY and SECRET_KEY_FALLBACKS,
so rotating the secret key keeps waiting emails readable.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet():
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                base64.urlsafe_b64encode(
                    salted_hmac(
                        "moderation.outbox",
                        "sealed-message",
                        secret=key,
                        algorithm="sha256",
                    ).digest()
                )
            )
            for key in keys
        ]
    )


def seal(data):
    return _fernet().encrypt(json.dumps(data).encode()).decode()


def unseal(token):
    return json.loads(_fernet().decrypt(token.encode()))
