from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env

DEBUG = False
SECRET_KEY = "vouch-tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Unit tests deliver on commit, inline; tests with a real worker turn this off
# (and the worker subprocess is started with CELERY_TASK_ALWAYS_EAGER=0).
CELERY_TASK_ALWAYS_EAGER = env.get_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
if not env.get("EMAIL_HOST"):
    MODERATION_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Fault tests stretch the retry delay in their worker processes' environment
# (tests/test_load_and_faults.py).
MODERATION_OUTBOX_RETRY_SECONDS = float(env.get("MODERATION_OUTBOX_RETRY_SECONDS", 0.5))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so a worker process can share the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
