"""Confirming quotes: an editor checked the words and the speaker (one path for the quote
admin's bulk action and the desk's one-click button)."""

from django.db import transaction

from articles.models import Quote
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.publishing.revisions import announce_if_live


class ConfirmQuotes:
    """Confirm ``quotes`` the user may confirm (the policy's ``confirm_quotes``); the others are
    left alone and counted. Readers of a live story see the confirmed quotes after commit."""

    def __init__(self, quotes, user):
        self.quotes = list(quotes)
        self.user = user

    def allowed(self) -> list[Quote]:
        return [q for q in self.quotes if policy.may(self.user, rules.CONFIRM_QUOTES, q.article)]

    def execute(self) -> tuple[int, int]:
        """Returns (confirmed, skipped)."""
        allowed = self.allowed()
        with transaction.atomic():
            Quote.objects.filter(pk__in=[q.pk for q in allowed]).update(confirmed=True)
            for article in {q.article_id: q.article for q in allowed}.values():
                announce_if_live(article)
        return len(allowed), len(self.quotes) - len(allowed)
