"""Prometheus metrics, one registry for the whole project (the official ``prometheus_client``).

Every process keeps its own counters; under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty folder shared by the workers and the exported numbers add up across them
(docs/deployment.md). Other parts of the project import the metric they feed from here.
"""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter(
    "newsroom_http_requests_total",
    "HTTP requests answered, by view and status class.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "newsroom_http_request_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "newsroom_page_cache_total", "Whole-page cache lookups, by outcome.", ["outcome"]
)
CACHE_ERRORS = Counter(
    "newsroom_cache_errors_total",
    "Cache operations that failed because the cache was unavailable.",
    ["operation"],
)
PURGES = Counter("newsroom_purges_total", "CDN/Varnish purge requests, by outcome.", ["outcome"])
WEBHOOK_DELIVERIES = Counter(
    "newsroom_webhook_deliveries_total", "Webhook delivery attempts, by outcome.", ["outcome"]
)
TASKS = Counter(
    "newsroom_tasks_total", "Background tasks finished, by outcome.", ["task", "outcome"]
)
IMPORTS = Counter("newsroom_wire_imports_total", "Wire copy imported, by outcome.", ["outcome"])
# Read from the queue at each scrape (newsroom/monitoring/queue.py): one value, not per process.
QUEUE_WAITING = Gauge(
    "newsroom_task_queue_waiting",
    "Tasks due to run, waiting for a worker.",
    multiprocess_mode="max",
)
QUEUE_OLDEST = Gauge(
    "newsroom_task_queue_oldest_seconds",
    "How long the longest-waiting due task has waited.",
    multiprocess_mode="max",
)
