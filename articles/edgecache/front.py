"""The WSGI application's outer layer: page-cache hits answered before Django's handler runs.

A hit through ``PublicCacheMiddleware`` still pays for Django's handler around it: the
``request_started`` and ``request_finished`` signals (which check every database connection
and cache), the middleware chain's frames and a full response object. Here a hit costs a
request object, the lookup (``hits.StoredPages.serve``, the middleware's own) and one log line,
and goes straight to the socket.

Only a plain anonymous ``GET``/``HEAD`` of a page is looked up here, with the middleware's own
rule (``hits.page_address``); everything else, every miss and anything unexpected goes on to
Django, where the middleware counts the miss or bypass (a miss the front marked is not looked
up twice).
"""

import logging
import time
from http.client import responses

from django.core.handlers.wsgi import WSGIRequest

from articles.edgecache.config import config
from articles.edgecache.hits import (
    CONDITIONAL_HEADERS,
    FRONT_MISSED,
    SAFE_METHODS,
    Hit,
    page_address,
    stored_pages,
)
from newsroom.monitoring.logs import request_id
from newsroom.monitoring.requests import HIT_VIEW, log_request, request_id_of

logger = logging.getLogger(__name__)


class PageCacheFront:
    """Wraps Django's WSGI application (``newsroom/wsgi.py``)."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        found = None
        # Conditional requests (a 304 to work out) are left to the middleware.
        method = environ.get("REQUEST_METHOD")
        if method in SAFE_METHODS and not CONDITIONAL_HEADERS & environ.keys():
            try:
                found = hit(environ)
            except Exception:
                # Never an error for the front's sake: Django answers, and logs what it must.
                logger.exception("The page-cache front failed; Django answers instead")
        if found is None:
            return self.application(environ, start_response)
        request, page = found
        rid = request_id_of(request)
        status = page.entry.status
        token = request_id.set(rid)
        try:
            log_request(request.method, request.path, status, HIT_VIEW, "hit", rid, started)
        finally:
            request_id.reset(token)
        line = f"{status} {responses.get(status, 'Unknown Status Code')}"
        start_response(line, [*page.headers, ("X-Request-ID", rid)])
        # A HEAD reply carries the headers of the page but never its body.
        return [b"" if request.method == "HEAD" else page.entry.content]


def hit(environ) -> tuple[WSGIRequest, Hit] | None:
    """(the request, the stored page) for a current page-cache entry, else None. A page that
    may use the cache but has no current entry is marked in ``environ`` (``FRONT_MISSED``): the
    middleware then counts the miss without looking it up again."""
    if not config().enabled:
        return None
    request = WSGIRequest(environ)
    _, where = page_address(request)
    if where is None:
        return None
    page = stored_pages().find(request, where)
    if page is None:
        environ[FRONT_MISSED] = True
        return None
    return request, page
