from articles.models.article import Article, ArticleQuerySet, Status, WireStatus
from articles.models.byline import Byline
from articles.models.history import Correction, StatusChange
from articles.models.photo import Photo, Rendition
from articles.models.quote import Quote
from articles.models.related import RelatedHeadline
from articles.models.revision import Revision
from articles.models.section import Section
from articles.models.sharing import ShareLink
from articles.models.wire_import import WireImport
from articles.wire.models import WireSubject, WireUpdate

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
    "WireStatus",
    "WireSubject",
    "WireUpdate",
]
