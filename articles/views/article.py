from django.http import Http404
from django.shortcuts import render
from django.views.generic import DetailView

from articles import readmodel
from articles.models import Article
from articles.readmodel.store import fragments


class ArticleDetailView(DetailView):
    """A published story at its canonical address; killed stories answer 410, others 404.

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
            if Article.objects.killed().filter(slug=kwargs["slug"]).exists():
                return render(request, "articles/gone.html", status=410)
            raise

    def get_context_data(self, **kwargs):
        article = self.object
        parts = readmodel.page_parts(article)
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
        # The linked and latest stories are plain rows: name them for the cache's surrogate keys.
        shown = [*self.linked, *self.latest]
        response.surrogate_keys = {f"story-{link.pk}" for link in shown}
        return response
