from .base import *  # noqa: F403
from .base import env

DEBUG = True
# Only for a machine of one's own; production.py refuses to start without one.
SECRET_KEY = "django-insecure-vouch-development-key-not-for-production"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

# The demo shop (manage.py load_demo): replies go to its own address, and its
# "Tell us what you think" page is where a customer whose link failed can write.
MODERATION_REPLY_TO_EMAIL = env.get("MODERATION_REPLY_TO_EMAIL", "hello@localhost")
MODERATION_CONTACT_URL = env.get("MODERATION_CONTACT_URL", "/feedback/")
