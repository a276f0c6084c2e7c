"""Settings shared by every environment.

The embedded default (no environment variables) runs everything on this machine:
SQLite, local-memory cache, Celery on kombu's filesystem transport, emails
written to ``var/mail``. Each of those is replaced from the environment in
production; see README.md and ``production.py``.
"""

import os
from pathlib import Path

from moderation.beat import beat_schedule

from . import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the running site writes: database, media, mail, broker queue.
VAR_DIR = Path(env.get("VOUCH_VAR_DIR", BASE_DIR / "var"))

INSTALLED_APPS = [
    "blog",
    "moderation",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "blog.middleware.ReplaceCharactersHtmlCannotCarry",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": env.database(VAR_DIR / "db.sqlite3")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses SearchVectorField, which Django 6 checks for
    # (postgres.E005: 'django.contrib.postgres' must be in INSTALLED_APPS).
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache()}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded images are best served by the proxy; this lets gunicorn do it instead.
SERVE_MEDIA = env.get_bool("SERVE_MEDIA", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Behind a proxy, the number of proxies that add to X-Forwarded-For, so rate
# limits count the client's network, not the proxy's (moderation/ratelimit.py).
if env.get("MODERATION_TRUSTED_PROXY_COUNT"):
    MODERATION_TRUSTED_PROXY_COUNT = env.get_int("MODERATION_TRUSTED_PROXY_COUNT", 0)

# How long a worker's claim on an email lasts without renewal; tests of faults
# shorten it.
if env.get("MODERATION_OUTBOX_LEASE_SECONDS"):
    MODERATION_OUTBOX_LEASE_SECONDS = env.get_int("MODERATION_OUTBOX_LEASE_SECONDS", 30)

# Email. Every message goes into the outbox first (promise 4); Celery workers
# deliver it with MODERATION_DELIVERY_EMAIL_BACKEND.
EMAIL_BACKEND = "moderation.outbox.backend.OutboxEmailBackend"
EMAIL_HOST = env.get("EMAIL_HOST")
if EMAIL_HOST:
    MODERATION_DELIVERY_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.get_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 30)
else:
    MODERATION_DELIVERY_EMAIL_BACKEND = (
        "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "Vouch <noreply@localhost>")
SERVER_EMAIL = env.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where customers' questions reach the shop: the Reply-To of every email the app
# sends, and the contact offered on the pages that say a link failed.
MODERATION_REPLY_TO_EMAIL = env.get("MODERATION_REPLY_TO_EMAIL")
MODERATION_CONTACT_URL = env.get("MODERATION_CONTACT_URL")

# Celery. The embedded default is a real worker on kombu's filesystem
# transport: no broker server, and tasks survive a restart of either side.
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.broker_url("filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for folder in ("queue", "processed", "control"):
        os.makedirs(BROKER_DIR / folder, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Else kombu writes its exchange table to ./control, wherever that is.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A task whose worker died is handed out again after this many seconds; the
    # outbox reclaims stuck rows on its own, so this only bounds the wait. Every
    # task is safe to run twice, which a task held longer than this (a retry's
    # countdown, a slow task) will be; see "Visibility timeout" in Celery's
    # Redis guide. Tuned from the environment as JSON, e.g. '{"visibility_timeout": 600}'.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        **env.get_json("CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# With the broker away, give up publishing quickly: the email is already in the
# outbox and the dispatcher sends it later, so the request need not wait.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULE = beat_schedule(
    outbox_dispatch_seconds=env.get_int("MODERATION_OUTBOX_DISPATCH_SECONDS", 15)
)

# Wagtail
WAGTAIL_SITE_NAME = "Vouch"
# No staff address (nor its hash) goes to Gravatar; moderation.W002 checks it.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
WAGTAIL_I18N_ENABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"moderation": {"level": env.get("LOG_LEVEL", "INFO")}},
}
