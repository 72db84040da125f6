from django.http import Http404
from django.views.generic import DetailView

from ..body import render_blocks
from ..models import Article


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return Article.objects.published().with_page_relations()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if self.request.path != article.get_absolute_url():
            raise Http404("No story at this address.")
        return article

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blocks"] = render_blocks(self.object)
        return context
