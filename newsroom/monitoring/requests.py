"""First in MIDDLEWARE: every request gets an id, a timing, a count and one log line.

The id comes from the ``X-Request-ID`` header a load balancer set (when it looks like an id),
or is made here; it is returned in the response's ``X-Request-ID`` and carried by every log
line written while the request is answered (``logs.RequestIdFilter``).
"""

import functools
import logging
import re
import time
import uuid

from newsroom.monitoring import metrics
from newsroom.monitoring.logs import request_id

logger = logging.getLogger("newsroom.requests")
HIT_VIEW = "page-cache"  # the view named for page-cache hits in metrics and logs
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestMonitoringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_of(request)
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        return record(request, response, rid, started)


def request_id_of(request) -> str:
    """The load balancer's ``X-Request-ID`` when it looks like an id, else a new one."""
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex


def record(request, response, rid: str, started: float):
    """Count, time and log the answered request; the response carries its id."""
    response["X-Request-ID"] = rid
    cache = response.get("X-Newsroom-Cache", "")
    view = _view_name(request, cache)
    log_request(request.method, request.path, response.status_code, view, cache, rid, started)
    return response


def log_request(method, path, status: int, view: str, cache: str, rid: str, started: float):
    """Count, time and log one answered request (begun at ``perf_counter()`` ``started``);
    the WSGI front (articles/edgecache/front.py) logs its page-cache hits here too."""
    seconds = time.perf_counter() - started
    count, latency = _series(view, method, status // 100)
    count.inc()
    latency.observe(seconds)
    if not logger.isEnabledFor(logging.INFO):
        return
    logger.info(
        "%s %s %s",
        method,
        path,
        status,
        extra={
            "request_id": rid,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "view": view,
            "cache": cache,
        },
    )


@functools.lru_cache(maxsize=1024)
def _series(view: str, method: str, status_class: int):
    """The labelled counter and histogram a request is counted in, looked up once per label
    set (``labels()`` validates and hashes its arguments each call: a tenth of a cached hit)."""
    return (
        metrics.REQUESTS.labels(view, method, f"{status_class}xx"),
        metrics.LATENCY.labels(view),
    )


def _view_name(request, cache: str) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if cache == "hit":
        return HIT_VIEW
    return "unresolved"
