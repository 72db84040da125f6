"""First in MIDDLEWARE: every request gets an id, a timing, a count and one log line.

The id comes from the ``X-Request-ID`` header a load balancer set (when it looks like an id),
or is made here; it is returned in the response's ``X-Request-ID`` and carried by every log
line written while the request is answered (``logs.RequestIdFilter``).
"""

import logging
import re
import time
import uuid

from newsroom.monitoring import metrics
from newsroom.monitoring.logs import request_id

logger = logging.getLogger("newsroom.requests")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestMonitoringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        seconds = time.perf_counter() - started
        view = _view_name(request, response)
        metrics.REQUESTS.labels(view, request.method, f"{response.status_code // 100}xx").inc()
        metrics.LATENCY.labels(view).observe(seconds)
        response["X-Request-ID"] = rid
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": rid,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "view": view,
                "cache": response.get("X-Newsroom-Cache", ""),
            },
        )
        return response


def _view_name(request, response) -> str:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match._func_path
    if response.get("X-Newsroom-Cache") == "hit":
        return "page-cache"
    return "unresolved"
