"""API keys (``Authorization: Api-Key <key>``) and the rate limits for keyed and anonymous use.

A key buys a higher rate limit and nothing else: every client sees the same public stories.
Keyed responses are private (the page cache neither serves nor stores them), so each keyed
request is counted against its key. Rate limits count in the shared cache (Redis in production).
"""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from articles.models import ApiKey

KEYWORD = b"api-key"
# last_used_at is a hint for the admin, written at most this often per key.
LAST_USED_PRECISION = timedelta(minutes=5)


class ApiClient:
    """The ``request.user`` of a keyed request: authenticated as a partner, no staff rights."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, key: ApiKey):
        self.key = key
        self.pk = None

    def __str__(self) -> str:
        return str(self.key)

    def has_perm(self, *args, **kwargs) -> bool:
        return False


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the key as: Authorization: Api-Key <key>.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise AuthenticationFailed("That is not a key this API gave out.") from exc
        key = ApiKey.objects.matching(raw).first()
        if key is None:
            raise AuthenticationFailed("That is not a key this API gave out.")
        if not key.is_active:
            raise AuthenticationFailed("This key has been revoked.")
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_PRECISION:
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        return ApiClient(key), key

    def authenticate_header(self, request) -> str:
        return "Api-Key"


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests without a key, counted per client address."""

    scope = "anonymous"


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Requests with a key, counted per key, at the key's own rate or the default for keys."""

    scope = "api_key"

    def allow_request(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return True
        if request.auth.rate:
            self.rate = request.auth.rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the key."""

    target_class = "articles.syndication.api.keys.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: optional, for a higher rate limit.",
        }
