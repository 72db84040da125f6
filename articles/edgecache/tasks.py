"""The purge, as a task: the CDN or Varnish hears of a change off the editor's request.

Idempotent (dropping the same keys twice drops nothing more), so a retry is harmless.
"""

from django_tasks import task


@task()
def send_purge(keys: list[str]) -> list[str]:
    """Ask the configured backend to drop every cached response tagged with one of ``keys``."""
    from articles.edgecache.purge import purge_backend

    purge_backend().purge(keys)
    return keys
