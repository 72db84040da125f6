from .article import ArticleDetailView
from .lists import HomeView, PersonView, SearchView, SectionView, SourceView, TagView

__all__ = [
    "ArticleDetailView",
    "HomeView",
    "PersonView",
    "SearchView",
    "SectionView",
    "SourceView",
    "TagView",
]
