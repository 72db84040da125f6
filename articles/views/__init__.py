from articles.views.article import ArticleDetailView
from articles.views.lists import HomeView, SearchView, SectionView, TagView

__all__ = [
    "ArticleDetailView",
    "HomeView",
    "SearchView",
    "SectionView",
    "TagView",
]
