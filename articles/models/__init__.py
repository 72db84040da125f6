from .article import Article, ArticleQuerySet, Status
from .byline import Byline
from .history import Correction, StatusChange
from .photo import Photo, Rendition
from .quote import Quote
from .related import RelatedHeadline
from .section import Section

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Correction",
    "Photo",
    "Quote",
    "RelatedHeadline",
    "Rendition",
    "Section",
    "Status",
    "StatusChange",
]
