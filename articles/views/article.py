from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.views.generic import DetailView

from articles import readmodel
from articles.edgecache import keys
from articles.models import Article, Status
from articles.publishing.addresses import redirect_target
from articles.readmodel.links import RELATED_BOX_SIZE
from articles.readmodel.store import fragments


class ArticleDetailView(DetailView):
    """A published story at its canonical address; an old address redirects (301) to it,
    killed stories answer 410, others 404.

    The story's own parts come from its stored page (``articles.readmodel``); the request adds
    the links to other stories that are live now and the latest headlines, in one query.
    """

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_stored_page()

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
        # Previews (the desk's) build the page afresh, with signed photo addresses, never stored.
        parts = readmodel.page_parts(article, preview=bool(kwargs.get("preview")))
        self.photo_ids = parts["photos"]
        linked, self.latest = readmodel.live_links(article, parts)
        self.linked = linked.values()
        return super().get_context_data(
            page=fragments(parts),
            body=readmodel.story_body(parts, linked),
            related=readmodel.related_box(article, parts, linked),
            latest=self.latest,
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # The linked and latest stories are plain rows, and the photos come from the stored
        # page: name them all for the cache's surrogate keys.
        shown = [*self.linked, *self.latest]
        response.surrogate_keys = {keys.story(link.pk) for link in shown} | {
            keys.photo(pk) for pk in self.photo_ids
        }
        return response


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


# -- the related box for the API (its stories come loaded ``with_page_relations()``) ---------


def suggested_stories(stories) -> dict:
    """The public stories suggested for any of ``stories``, by id, in one query."""
    ids = {pk for story in stories for pk in story.suggested_related or []}
    if not ids:
        return {}
    return Article.objects.published().filter(pk__in=ids).select_related("section").in_bulk()


def related_headlines(article, suggested: dict | None = None) -> list[dict]:
    """The related box: the desk's headlines first, then stored suggestions, in one query (none
    when ``suggested``, from ``suggested_stories()`` for a list of stories, is given).

    Manual links to stories readers can't see (draft, killed, expired) are left out. The page
    builds the same box from its stored parts (``readmodel.related_box``).
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
