"""Production: everything secret or site-specific comes from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False

# The embedded defaults (SQLite, filesystem broker, local-memory cache, mail to
# files) are for one machine; production must name its services.
for name, why in {
    "DATABASE_URL": "Use postgres://USER:PASSWORD@HOST:5432/NAME.",
    "CELERY_BROKER_URL": "Use redis://HOST:6379/0.",
    "CACHE_URL": "Use redis://HOST:6379/1 (rate limits are shared by all processes).",
    "EMAIL_HOST": "Name the SMTP server that sends the site's email.",
}.items():
    env.get(name, required=True, why=why)
SECRET_KEY = env.get(
    "SECRET_KEY",
    required=True,
    why="Set it to a long random string, e.g. from "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
)
SECRET_KEY_FALLBACKS = env.get_list("SECRET_KEY_FALLBACKS")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise env.ConfigError(
        "ALLOWED_HOSTS is not set. Give the site's host names, comma-separated."
    )
CSRF_TRUSTED_ORIGINS = env.get_list(
    "CSRF_TRUSTED_ORIGINS",
    [f"https://{host}" for host in ALLOWED_HOSTS if "*" not in host],
)

# gunicorn serves static files itself, from STATIC_ROOT (`manage.py collectstatic`).
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}

# HTTPS is terminated by the proxy in front of gunicorn, which must set
# X-Forwarded-Proto. SECURE_SSL_REDIRECT=0 when the proxy already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
