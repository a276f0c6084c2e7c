from .base import *  # noqa: F403

DEBUG = True
# Only for a machine of one's own; production.py refuses to start without one.
SECRET_KEY = "django-insecure-vouch-development-key-not-for-production"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
