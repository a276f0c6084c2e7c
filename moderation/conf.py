"""Our own settings, with their defaults in one place.

Read at call time (``setting("OUTBOX_MAX_ATTEMPTS")``), so ``override_settings``
and per-environment settings files work without restarts or import-order tricks.
"""

from django.conf import settings

DEFAULTS = {
    # Outbox delivery (see moderation/outbox/delivery.py).
    "OUTBOX_MAX_ATTEMPTS": 8,  # then the email is marked failed (dead letter)
    "OUTBOX_RETRY_SECONDS": 30,  # first retry; doubles each attempt
    "OUTBOX_RETRY_MAX_SECONDS": 6 * 60 * 60,
    "OUTBOX_LEASE_SECONDS": 5
    * 60,  # a claimed email whose worker died is retried after this
    "OUTBOX_BATCH_SIZE": 100,  # emails claimed at once by the dispatcher
    "DELIVERY_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "MESSAGE_ID_DOMAIN": None,  # defaults to the host of DEFAULT_FROM_EMAIL
}


def setting(name):
    return getattr(settings, f"MODERATION_{name}", DEFAULTS[name])
