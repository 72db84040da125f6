from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.generic import DetailView

from articles.body import render_blocks
from articles.models import Article, Status
from articles.publishing.addresses import redirect_target

RELATED_BOX_SIZE = 6
LATEST_HEADLINES = 5


class ArticleDetailView(DetailView):
    """A published story at its canonical address; killed stories answer 410, others 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_page_relations()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if self.request.path != article.get_absolute_url():
            raise Http404("No story at this address.")
        return article

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return moved_or_gone(request, kwargs["slug"])

    def get_context_data(self, **kwargs):
        article = self.object
        blocks = render_blocks(article)
        return super().get_context_data(
            blocks=blocks,
            # The dateline opens the first paragraph, even when a photo block comes first.
            dateline_at=next((i for i, b in enumerate(blocks) if b.type == "paragraph"), None),
            related=related_headlines(article),
            latest=Article.objects.published()
            .exclude(pk=article.pk)
            .select_related("section")
            .latest_first()[:LATEST_HEADLINES],
            corrections=list(article.corrections.all()),
            **kwargs,
        )


def moved_or_gone(request, slug: str):
    """An address that shows no story: 301 to where its story lives now (an old address kept
    in ``StoryRedirect``, or the same slug under another section or day), 410 if the story was
    killed, 404 otherwise."""
    story = redirect_target(request.path)
    if story is None:
        story = Article.objects.filter(slug=slug).select_related("section").first()
    if story is not None and story.is_live:
        return HttpResponsePermanentRedirect(story.get_absolute_url())
    if story is not None and story.status == Status.KILLED:
        return render(request, "articles/gone.html", status=410)
    raise Http404("No story at this address.")


def suggested_stories(stories) -> dict:
    """The public stories suggested for any of ``stories``, by id, in one query."""
    ids = {pk for story in stories for pk in story.suggested_related or []}
    if not ids:
        return {}
    return Article.objects.published().filter(pk__in=ids).select_related("section").in_bulk()


def related_headlines(article, suggested: dict | None = None) -> list[dict]:
    """The related box: the desk's headlines first, then stored suggestions, in one query (none
    when ``suggested``, from ``suggested_stories()`` for a list of stories, is given).

    Manual links to stories readers can't see (draft, killed, expired) are left out.
    """
    box, seen = [], {article.pk}
    for item in article.related_headlines.all():
        if item.target_id:
            if item.target_id in seen or not item.target.is_live:
                continue
            seen.add(item.target_id)
            box.append({"text": item.text, "url": item.target.get_absolute_url()})
        elif item.outside_url:
            box.append({"text": item.text, "url": item.outside_url})
    if not article.suggested_related:
        return box
    # Always one query when there are suggestions, however many the desk linked by hand.
    found = suggested_stories([article]) if suggested is None else suggested
    room = RELATED_BOX_SIZE - len(box)
    for pk in article.suggested_related:
        if room <= 0:
            break
        if pk in found and pk not in seen:
            seen.add(pk)
            box.append({"text": found[pk].headline, "url": found[pk].get_absolute_url()})
            room -= 1
    return box
