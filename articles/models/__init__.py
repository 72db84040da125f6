from articles.models.api_key import ApiKey
from articles.models.article import Article, ArticleQuerySet, Status, WireStatus
from articles.models.byline import Byline
from articles.models.front import FrontPick
from articles.models.history import Correction, StatusChange
from articles.models.partner_feed import FeedEntry
from articles.models.photo import Photo, Rendition
from articles.models.purge import PurgeFailure
from articles.models.quote import Quote
from articles.models.redirect import StoryRedirect
from articles.models.related import RelatedHeadline
from articles.models.revision import Revision
from articles.models.section import Section
from articles.models.sharing import ShareLink
from articles.models.webhook import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
from articles.models.wire_import import WireImport
from articles.wire.models import WireSubject, WireUpdate

__all__ = [
    "WEBHOOK_EVENTS",
    "ApiKey",
    "FeedEntry",
    "WebhookDelivery",
    "WebhookEndpoint",
    "Article",
    "ArticleQuerySet",
    "Byline",
    "Correction",
    "FrontPick",
    "Photo",
    "PurgeFailure",
    "Quote",
    "RelatedHeadline",
    "Rendition",
    "Revision",
    "Section",
    "ShareLink",
    "Status",
    "StatusChange",
    "StoryRedirect",
    "WireImport",
    "WireStatus",
    "WireSubject",
    "WireUpdate",
]
