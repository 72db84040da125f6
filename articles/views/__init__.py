from .article import ArticleDetailView
from .lists import HomeView, PersonView, SectionView, TagView

__all__ = ["ArticleDetailView", "HomeView", "PersonView", "SectionView", "TagView"]
