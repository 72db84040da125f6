"""Settings shared by every environment. The environment is read here, once."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

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
    "people",
    "articles",
    # Project-wide commands: backup and restore, the demo loader.
    "newsroom",
]

MIDDLEWARE = [
    # First, so a page-cache hit is answered before anything below runs (sessions, CSRF, auth,
    # messages, URL resolving); on a miss it labels and stores what the stack below returned,
    # headers included (see docs/caching.md).
    "articles.edgecache.middleware.PublicCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
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
# Read replicas (newsroom/db_router.py): off unless DATABASE_REPLICA_URL is set. Readers' GETs
# read the replica; writes, transactions, the admin and the desk use the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.db_router.PrimaryReplicaRouter"]
    # After the page cache: a hit reads no database at all.
    MIDDLEWARE.insert(1, "newsroom.db_router.ReplicaRoutingMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, reusing its client (see articles/edgecache/redis.py).
            "BACKEND": "articles.edgecache.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_PREFIX", "newsroom"),
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
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wire photos and uploads: refuse anything larger before Pillow opens it.
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TAGGIT_CASE_INSENSITIVE = True

# The publication, as named in feeds, JSON-LD and the Google News sitemap.
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Newsroom Daily")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", "en")

# HTTP caching (articles/edgecache/): how long shared caches (CDN, Varnish) and browsers may keep
# public pages, and where to send purges when a story changes (articles/edgecache/purge.py).
NEWSROOM_HTTP_CACHE = env_bool("NEWSROOM_HTTP_CACHE", True)
NEWSROOM_CACHE_SECONDS = int(os.environ.get("NEWSROOM_CACHE_SECONDS", "300"))
NEWSROOM_BROWSER_CACHE_SECONDS = int(os.environ.get("NEWSROOM_BROWSER_CACHE_SECONDS", "60"))
NEWSROOM_STALE_SECONDS = int(os.environ.get("NEWSROOM_STALE_SECONDS", "30"))
NEWSROOM_CACHE_SALT = os.environ.get("NEWSROOM_CACHE_SALT", "")  # e.g. the release id
NEWSROOM_PURGE_BACKEND = os.environ.get(
    "NEWSROOM_PURGE_BACKEND", "articles.edgecache.purge.HttpBanPurge"
)
NEWSROOM_PURGE_URL = os.environ.get("NEWSROOM_PURGE_URL", "")

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
    return [*sources, *extra]


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
        "img-src": _csp_sources("img-src", "'self'", "data:", *_ASSET_HOSTS),
        "font-src": _csp_sources("font-src", "'self'", *_ASSET_HOSTS),
        "connect-src": _csp_sources("connect-src", "'self'"),
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
