"""Settings shared by every environment. The environment is read here, once."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from newsroom.media.config import private_media_origin, s3_storages

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "taggit",
    "csp",
    "django_prose_editor",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_rq",
    "people",
    "articles",
    # Project-wide commands: backup and restore, the demo loader, the task worker (db_worker).
    "newsroom",
    # After "newsroom", whose db_worker (which also recovers tasks of crashed workers) wins.
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: a request id, a timing and one log line for every request, cache hits included.
    "newsroom.monitoring.requests.RequestMonitoringMiddleware",
    # Next, so a page-cache hit is answered before anything below runs (sessions, CSRF, auth,
    # messages, URL resolving); on a miss it labels and stores what the stack below returned,
    # headers included (see docs/caching.md).
    "articles.edgecache.middleware.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Without NEWSROOM_SITE_URL, absolute links use the address the request came to.
    "newsroom.site.SiteAddressMiddleware",
    # The page cache stores the header with each page (see CONTENT_SECURITY_POLICY).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "newsroom.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take concurrent editors (and the wire inbox beside the web
    # server) as PostgreSQL does: a writer waits for the lock (WAL lets readers carry on)
    # instead of failing with "database is locked", and transactions take the write lock when
    # they begin, so the version guard refuses stale saves cleanly instead of half-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A database that is down must answer quickly, so health checks and readers are not held.
_CONNECT_TIMEOUT = {"connect_timeout": int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(_CONNECT_TIMEOUT)
# Read replicas (newsroom/db_router.py): off unless DATABASE_REPLICA_URL is set. Readers' GETs
# read the replica; writes, transactions, the admin and the desk use the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).update(_CONNECT_TIMEOUT)
    DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"]
    # After the page cache: a hit reads no database at all.
    MIDDLEWARE.insert(2, "newsroom.db_router.ReplicaRoutingMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis going away costs speed, never the site; one client per connection pool
            # (newsroom/resilient_cache.py on articles/edgecache/redis.py).
            "BACKEND": "newsroom.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
            # Short timeouts: a hung Redis must not hold readers for long.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    SESSION_ENGINE = os.environ.get(
        "DJANGO_SESSION_ENGINE", "django.contrib.sessions.backends.cached_db"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The newsroom's time zone: every time an editor types or reads (desk, admin, scheduling) is in
# it, and shown with its name. Stored times stay UTC (USE_TZ).
NEWSROOM_TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE") or os.environ.get(
    "DJANGO_TIME_ZONE", "UTC"
)
TIME_ZONE = NEWSROOM_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Media (newsroom/media/): "default" is the public location behind MEDIA_URL (released
# renditions only); "private" holds originals, renditions as made and portraits, reached only
# through short-lived signed URLs. Local folders unless NEWSROOM_S3_BUCKET is set.
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
NEWSROOM_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("NEWSROOM_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
NEWSROOM_SIGNED_MEDIA_SECONDS = int(os.environ.get("NEWSROOM_SIGNED_MEDIA_SECONDS", "300"))
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "newsroom.media.disk.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if NEWSROOM_S3_BUCKET:
    # S3 or any S3-compatible server (django-storages + boto3); see newsroom/media/config.py.
    _s3 = {
        "bucket": NEWSROOM_S3_BUCKET,
        "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL", ""),
        "region": os.environ.get("NEWSROOM_S3_REGION", "us-east-1"),
    }
    _private_bucket = os.environ.get("NEWSROOM_S3_PRIVATE_BUCKET", "")
    STORAGES["default"], STORAGES["private"], MEDIA_URL = s3_storages(
        **_s3,
        access_key=os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID", ""),
        secret_key=os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY", ""),
        private_bucket=_private_bucket,
        addressing_style=os.environ.get("NEWSROOM_S3_ADDRESSING_STYLE", ""),
        public_acl=os.environ.get("NEWSROOM_S3_PUBLIC_ACL", "public-read"),
        cache_seconds=int(os.environ.get("NEWSROOM_MEDIA_CACHE_SECONDS", "3600")),
        media_url=os.environ.get("MEDIA_URL", ""),
    )
    # Editors' presigned addresses point at the bucket itself (allowed as images by the CSP).
    _PRIVATE_MEDIA_HOSTS = [
        private_media_origin(**{**_s3, "bucket": _private_bucket or _s3["bucket"]})
    ]
else:
    _PRIVATE_MEDIA_HOSTS = []
    if NEWSROOM_PRIVATE_MEDIA_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
        raise ImproperlyConfigured("NEWSROOM_PRIVATE_MEDIA_ROOT must not be inside MEDIA_ROOT.")

# Wire photos and uploads: refuse anything larger before Pillow opens it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

# After logging in with no (or an unsafe) ``next``: the desk, never Django's /accounts/profile/.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "desk:dashboard"

# The publication, as named in feeds, JSON-LD and the Google News sitemap.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom Daily")
# Unset: the address each request came to (newsroom/site.py); set it in production.
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "").rstrip("/")
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", "en")

# Agency -> the licensing page a wire photo's "License Photo" link goes to
# ("UPI=https://...,AFP=https://..."; articles/wire/importer.py ``license_for``).
NEWSROOM_WIRE_LICENSE_URLS = dict(
    item.split("=", 1) for item in env_list("NEWSROOM_WIRE_LICENSE_URLS") if "=" in item
)

# The editors' addresses: never cached for the public, never crawled, always read from the
# primary database (articles/edgecache/, robots.txt, newsroom/db_router.py all read this).
NEWSROOM_PRIVATE_PATHS = ("/admin/", "/desk/", "/-/")

# HTTP caching (articles/edgecache/): how long shared caches (CDN, Varnish) and browsers may keep
# public pages, and where to send purges when a story changes (articles/edgecache/purge.py).
NEWSROOM_HTTP_CACHE = env_bool("NEWSROOM_HTTP_CACHE", True)
NEWSROOM_CACHE_SECONDS = int(os.environ.get("NEWSROOM_CACHE_SECONDS", "300"))
NEWSROOM_BROWSER_CACHE_SECONDS = int(os.environ.get("NEWSROOM_BROWSER_CACHE_SECONDS", "60"))
NEWSROOM_STALE_SECONDS = int(os.environ.get("NEWSROOM_STALE_SECONDS", "30"))
NEWSROOM_CACHE_SALT = os.environ.get("NEWSROOM_CACHE_SALT", "")  # e.g. the release id
# The only query parameters that make page-cache entries of their own (digits only): a list's
# cursor (``?before=<id>``), the admin's and API's page numbers, and the API's page size (1 to
# 100, anything else is a 400), so entries stay bounded.
NEWSROOM_CACHE_QUERY_PARAMS = ("before", "page", "p", "page_size")
NEWSROOM_PURGE_BACKEND = os.environ.get(
    "NEWSROOM_PURGE_BACKEND", "articles.edgecache.purge.HttpBanPurge"
)
NEWSROOM_PURGE_URL = os.environ.get("NEWSROOM_PURGE_URL", "")
# A purge the CDN did not take is tried this many times in all, with a growing delay.
NEWSROOM_PURGE_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_PURGE_MAX_ATTEMPTS", "5"))

# Prometheus metrics at /-/metrics, only for a scraper sending this bearer token (unset: 404).
NEWSROOM_METRICS_TOKEN = os.environ.get("NEWSROOM_METRICS_TOKEN", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsroom.monitoring.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "newsroom.monitoring.logs.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            # One JSON object a line in production (NEWSROOM_LOG_FORMAT=json), plain in dev.
            "formatter": os.environ.get("NEWSROOM_LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request: on in production (NEWSROOM_REQUEST_LOG=true), quiet in dev.
        "newsroom.requests": {
            "level": "INFO" if env_bool("NEWSROOM_REQUEST_LOG", False) else "WARNING",
        },
    },
}

# -- background work (django-tasks; docs/deployment.md) -----------------------------------------
# "db": django-tasks-db, run by `manage.py db_worker` (the embedded default); "rq": RQ on REDIS_URL,
# run by `manage.py rqworker default --with-scheduler`; "immediate": run in the caller (tests).
NEWSROOM_TASKS = os.environ.get("NEWSROOM_TASKS", "db")
# A task still marked running this long after it started is taken to belong to a crashed worker
# and is run again (every task is idempotent).
NEWSROOM_TASK_LEASE_SECONDS = int(os.environ.get("NEWSROOM_TASK_LEASE_SECONDS", "600"))


def task_backends(kind: str) -> dict:
    """The TASKS setting for one of the kinds above."""
    backends = {
        "db": "django_tasks_db.DatabaseBackend",
        "rq": "newsroom.queue.RetryingRQBackend",
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    }
    if kind not in backends:
        raise ImproperlyConfigured(f"NEWSROOM_TASKS must be one of {sorted(backends)}: {kind!r}")
    return {"default": {"BACKEND": backends[kind], "QUEUES": ["default"]}}


TASKS = task_backends(NEWSROOM_TASKS)
# /-/health/ reports the queue down when a task due to run has waited this long (no worker).
NEWSROOM_QUEUE_STALE_SECONDS = int(os.environ.get("NEWSROOM_QUEUE_STALE_SECONDS", "300"))
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": int(os.environ.get("NEWSROOM_RQ_TIMEOUT", "120")),
    }
}
RQ_SHOW_ADMIN_LINK = False

# -- the content API (articles/syndication/api/; docs/api.md) ------------------------------------
NEWSROOM_API_ANON_RATE = os.environ.get("NEWSROOM_API_ANON_RATE", "60/min")
NEWSROOM_API_KEY_RATE = os.environ.get("NEWSROOM_API_KEY_RATE", "1200/min")
REST_FRAMEWORK = {
    # JSON only: one representation per URL, so a shared cache can never mix two.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.syndication.api.keys.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "articles.syndication.api.keys.AnonymousRateThrottle",
        "articles.syndication.api.keys.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anonymous": NEWSROOM_API_ANON_RATE,
        "api_key": NEWSROOM_API_KEY_RATE,
    },
    # Proxies in front that append to X-Forwarded-For (Varnish, a load balancer): the client
    # address the anonymous rate limit counts is the one they saw.
    "NUM_PROXIES": int(os.environ["NEWSROOM_API_PROXIES"])
    if os.environ.get("NEWSROOM_API_PROXIES")
    else None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom content API",
    "DESCRIPTION": "Read-only access to published stories, sections, tags, people and photos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI and Redoc from our own static files: no CDN, nothing the CSP must allow.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# -- webhooks (articles/webhooks/) ---------------------------------------------------------------
# Endpoints on loopback, private or link-local addresses are refused unless this is on (tests and
# a newsroom's own internal receivers).
NEWSROOM_WEBHOOK_ALLOW_PRIVATE = env_bool("NEWSROOM_WEBHOOK_ALLOW_PRIVATE", False)
NEWSROOM_WEBHOOK_TIMEOUT = float(os.environ.get("NEWSROOM_WEBHOOK_TIMEOUT", "5"))
NEWSROOM_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("NEWSROOM_WEBHOOK_MAX_ATTEMPTS", "6"))

# -- security headers, in every environment (production.py adds HTTPS and cookies) --------------
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"


def _origin(url: str) -> list[str]:
    """The scheme://host of an absolute URL (media or static on another host), else nothing."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Content-Security-Policy (django-csp 4; Django's own CSP settings once on 6.x). No inline script
# or style anywhere: reader pages have none (the JSON-LD block is data, which script-src does not
# govern, and a nonce in a cached page would be stale), and the admin and desk load their scripts
# from /static/. Inline scripts a template really needs carry nonce="{{ CSP_NONCE }}", which only
# non-cached (desk) pages may use. Extra sources per directive: NEWSROOM_CSP_EXTRA_<DIRECTIVE>.
_ASSET_HOSTS = _origin(STATIC_URL) + _origin(MEDIA_URL)


def _csp_sources(directive: str, *sources: str) -> list[str]:
    extra = env_list(f"NEWSROOM_CSP_EXTRA_{directive.upper().replace('-', '_')}")
    return list(dict.fromkeys([*sources, *extra]))


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": _csp_sources("default-src", "'self'"),
        "script-src": _csp_sources("script-src", "'self'", *_ASSET_HOSTS, NONCE),
        # The hash is the empty string's: the desk's body editor leaves an empty
        # <style data-tiptap-style> so Tiptap does not inject its CSS inline (desk.css has it).
        "style-src": _csp_sources(
            "style-src",
            "'self'",
            *_ASSET_HOSTS,
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        ),
        "img-src": _csp_sources("img-src", "'self'", "data:", *_ASSET_HOSTS, *_PRIVATE_MEDIA_HOSTS),
        "font-src": _csp_sources("font-src", "'self'", *_ASSET_HOSTS),
        "connect-src": _csp_sources("connect-src", "'self'"),
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
