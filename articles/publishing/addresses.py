"""Published addresses keep working: when a public story's address changes, the old one
redirects.

A story's address holds its section, its publication day and its slug, so moving it to another
section, renaming it or republishing it on another day moves it. ``remember_address`` runs after
each of those writes (content saves, publishing, section renames): it records the address
readers had in ``StoryRedirect`` and notes the new one on the story. The article view answers
an old address with 301 to the current one while the story is live.
"""

from articles.models import Article, StoryRedirect


def remember_address(article: Article) -> None:
    """If readers have seen ``article`` and its address moved, keep the old one as a redirect."""
    if article.first_published_at is None:
        return  # never public: no reader has the address
    current = article.get_absolute_url()
    if current == article.public_path:
        return
    if article.public_path:
        StoryRedirect.objects.update_or_create(
            old_path=article.public_path, defaults={"article": article}
        )
    # An address that is the story's own again is no longer a redirect.
    StoryRedirect.objects.filter(old_path=current).delete()
    article.public_path = current
    Article.objects.filter(pk=article.pk).update(public_path=current)


def remember_addresses_in(section) -> None:
    """A section's slug changed: every public story in it moved."""
    stories = Article.objects.filter(section=section, first_published_at__isnull=False)
    for article in stories.select_related("section").exclude(public_path=""):
        remember_address(article)


def redirect_target(path: str) -> Article | None:
    """The story that once lived at ``path``, if any."""
    found = StoryRedirect.objects.filter(old_path=path).select_related("article__section").first()
    return found.article if found else None
