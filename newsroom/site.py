"""The publication's absolute address: one home for it.

``NEWSROOM_SITE_URL`` when it is set (production: feeds, sitemaps and cached pages must not
echo whatever Host a request carried); otherwise the address the current request came to, so
``make run PORT=8400`` links to port 8400. ``SiteAddressMiddleware`` notes that address for the
request's duration.
"""

from contextvars import ContextVar

from django.conf import settings

_request_site: ContextVar[str] = ContextVar("newsroom_request_site", default="")
FALLBACK = "http://localhost"


def site_url() -> str:
    """``https://news.example.org``: the setting, else the current request's, no trailing /."""
    return (settings.NEWSROOM_SITE_URL or _request_site.get() or FALLBACK).rstrip("/")


class SiteAddressMiddleware:
    """Without ``NEWSROOM_SITE_URL``, the request's own scheme and host are the site's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.NEWSROOM_SITE_URL:
            return self.get_response(request)
        token = _request_site.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            _request_site.reset(token)
