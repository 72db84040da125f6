from .article import Article, ArticleQuerySet, Status
from .byline import Byline
from .history import Correction, StatusChange
from .photo import Photo, Rendition
from .quote import Quote
from .related import RelatedHeadline
from .revision import Revision
from .section import Section
from .sharing import ShareLink
from .wire_import import WireImport

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Correction",
    "Photo",
    "Quote",
    "RelatedHeadline",
    "Rendition",
    "Revision",
    "Section",
    "ShareLink",
    "Status",
    "StatusChange",
    "WireImport",
]
