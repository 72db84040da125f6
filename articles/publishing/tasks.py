"""Work a publish or a save starts that need not hold up the editor."""

from django_tasks import task


@task()
def refresh_suggestions(article_id: int) -> list[int]:
    """Store the story's related-story suggestions; idempotent (it recomputes from scratch)."""
    from articles.models import Article

    article = Article.objects.filter(pk=article_id).first()
    return article.refresh_suggested_related() if article else []
