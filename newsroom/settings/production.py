"""Production: secrets from the environment, HTTPS everywhere, hashed static files.

``python manage.py check --deploy --fail-level WARNING`` is clean with these settings
(tests/test_deploy_checks.py). See docs/deployment.md for the environment variables.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.base import LOGGING, REDIS_URL, SECRET_KEY, STORAGES, env_bool, task_backends

DEBUG = env_bool("DJANGO_DEBUG", False)
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a long random value in production.")

STORAGES = {
    # Media: local folders, or S3 when NEWSROOM_S3_BUCKET is set (base.py, docs/deployment.md).
    **STORAGES,
    # Hashed, gzip/brotli-compressed names served by WhiteNoise with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS ends at the load balancer / CDN, which must set X-Forwarded-Proto (and strip it from
# clients). DJANGO_SECURE_SSL_REDIRECT=false only for trying production locally over http.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# DJANGO_SECURE_COOKIES=false only for local http (`make serve-prod`): browsers drop Secure
# cookies on http, so the admin login would not stick.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Background work on RQ when Redis is there (the worker: `manage.py rqworker default
# --with-scheduler`), else in the database (`manage.py db_worker`).
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "rq" if REDIS_URL else "db")
TASKS = task_backends(NEWSROOM_TASKS)

# Media is served by object storage or the front web server in production; this switch lets
# `make serve-prod` show the demo photos from gunicorn (see newsroom/urls.py).
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", False)

# gunicorn collects stdout/stderr: one JSON line per request and per error, each with the
# request id that the response's X-Request-ID header also carries.
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("NEWSROOM_LOG_FORMAT", "json")
LOGGING["loggers"]["newsroom.requests"]["level"] = (
    "INFO" if env_bool("NEWSROOM_REQUEST_LOG", True) else "WARNING"
)
