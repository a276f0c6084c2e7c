"""Our own settings, with their defaults in one place.

Read at call time (``setting("OUTBOX_MAX_ATTEMPTS")``), so ``override_settings``
and per-environment settings files work without restarts or import-order tricks.
"""

from django.conf import settings

DEFAULTS = {
    # The name emails sign with; None: the default Wagtail site's name.
    "SITE_NAME": None,
    # How what an editor writes as the site is signed on the page: "site" (the
    # site's name, as above) or "editor" (the editor's full name).
    "SITE_REPLY_SIGNATURE": "site",
    # Where people's questions reach the shop (see emails.contact): sent as the
    # Reply-To of every email, and offered on the pages that say a link failed.
    "REPLY_TO_EMAIL": None,
    # The shop's contact page (a URL, or a path on the site), offered likewise.
    "CONTACT_URL": None,
    # The host's layout that the app's pages extend (see moderation/rendering.py):
    # it must have the blocks of the one `wagtail start` makes (title, content,
    # extra_css, extra_js).
    "BASE_TEMPLATE": "base.html",
    # Outbox delivery (see moderation/outbox/delivery.py).
    "OUTBOX_MAX_ATTEMPTS": 8,  # then the email is marked failed (dead letter)
    "OUTBOX_RETRY_SECONDS": 30,  # first retry; doubles each attempt
    "OUTBOX_RETRY_MAX_SECONDS": 6 * 60 * 60,
    # A claimed email's lease, renewed while its worker lives: the emails held by
    # a worker that died are due again within this (see outbox/delivery.py).
    "OUTBOX_LEASE_SECONDS": 30,
    "OUTBOX_BATCH_SIZE": 100,  # emails claimed at once by the dispatcher
    "OUTBOX_DRAIN_LIMIT": 1000,  # due emails one delivery task sends besides its own
    "DELIVERY_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "MESSAGE_ID_DOMAIN": None,  # defaults to the host of DEFAULT_FROM_EMAIL
    # Comments (see moderation/comments/).
    "SANITIZER": "bleach",  # or "nh3"; see moderation/sanitize.py
    "COMMENT_MAX_LENGTH": 5000,
    "COMMENT_MAX_LINKS": 10,
    "COMMENT_MAX_DEPTH": 3,  # a reply to a reply to a comment, and no deeper
    "COMMENTS_PER_PAGE": 20,  # threads (top-level comments) per page
    "COMMENT_FORM_MAX_AGE": 2 * 60 * 60,  # seconds a rendered form stays valid
    "COMMENT_EDIT_MINUTES": 15,
    "COMMENT_CONFIRM_DAYS": 3,
    # The signed cookie by which a browser knows its own comments (to see them
    # while they wait, edit and delete them); one name per site is enough.
    "COMMENT_COOKIE_NAME": "moderation_comments",  # life of an email confirmation link
    "CONFIRMATION_EMAILS_PER_DAY": 3,  # per address
    # (requests, seconds) per truncated client IP and per email address
    "COMMENT_RATE_IP": (5, 60),
    "COMMENT_RATE_EMAIL": (10, 60 * 60),
    "TRUSTED_PROXY_COUNT": 0,
    # "Your data" (see moderation/personal_data/).
    "DATA_LINK_HOURS": 24,  # life of the emailed link; it also works only once
    "DATA_REQUEST_RATE_IP": (5, 60 * 60),
    "DATA_REQUEST_RATE_EMAIL": (
        3,
        24 * 60 * 60,
    ),  # X-Forwarded-For entries added by our own proxies
}


def setting(name):
    return getattr(settings, f"MODERATION_{name}", DEFAULTS[name])
