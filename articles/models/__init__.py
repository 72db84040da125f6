from articles.models.article import Article, ArticleQuerySet, Status
from articles.models.byline import Byline
from articles.models.history import Correction, StatusChange
from articles.models.photo import Photo, Rendition
from articles.models.quote import Quote
from articles.models.related import RelatedHeadline
from articles.models.revision import Revision
from articles.models.section import Section
from articles.models.sharing import ShareLink
from articles.models.story_page import StoryPage
from articles.models.wire_import import WireImport

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
    "StoryPage",
    "StatusChange",
    "WireImport",
]
