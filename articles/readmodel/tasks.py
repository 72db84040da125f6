"""Building pages that need not hold up the editor who changed a row many stories show."""

from django_tasks import task

from articles.readmodel.store import rebuild


@task()
def rebuild_pages(story_ids: list[int]) -> int:
    """Build and store these stories' pages (published ones); idempotent."""
    return rebuild(story_ids)
