"""``/-/metrics``: Prometheus metrics, only for a scraper that presents the configured token.

Not public by default: without ``NEWSROOM_METRICS_TOKEN`` the address answers 404, like any
address that does not exist. With it, ``Authorization: Bearer <token>`` is required.
"""

import hmac
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from prometheus_client import REGISTRY as PROCESS_REGISTRY

from newsroom.monitoring import queue


@never_cache
def metrics(request):
    token = getattr(settings, "NEWSROOM_METRICS_TOKEN", "")
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(offered.encode(), token.encode()):
        raise Http404
    queue.record_depth()
    registry = PROCESS_REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # gunicorn workers each write their numbers to this folder: add them up.
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
