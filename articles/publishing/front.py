"""The front page as editors arrange it: which live stories lead, and in what order."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles.models import Article, FrontPick
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.signals import StoryEvent, announce

MAX_PICKS = 12


class ArrangeFront:
    """Make ``order`` (story ids, the lead first) the front's pinned stories; any other pin goes.

    Only live stories may be pinned, by whoever the policy lets place them (editors); a pin on a
    story that leaves the site stays but shows nothing (the front reads published stories).
    """

    def __init__(self, order: list[int], user):
        self.order = list(dict.fromkeys(order))  # the first mention of a story counts
        self.user = user

    def check(self, stories: dict[int, Article]) -> None:
        if len(self.order) > MAX_PICKS:
            raise ValidationError(f"The front holds at most {MAX_PICKS} pinned stories.")
        for pk in self.order:
            story = stories.get(pk)
            if story is None:
                raise ValidationError("Only live stories can be placed on the front.")
            if not policy.may(self.user, rules.FRONT, story):
                raise PermissionDenied("You may not arrange the front page.")

    def execute(self) -> list[FrontPick]:
        with transaction.atomic():
            stories = Article.objects.published().filter(pk__in=self.order).in_bulk()
            self.check(stories)
            before = dict(FrontPick.objects.values_list("article_id", "position"))
            FrontPick.objects.exclude(article_id__in=self.order).delete()
            picks = []
            for position, pk in enumerate(self.order, start=1):
                pick, _ = FrontPick.objects.update_or_create(
                    article_id=pk, defaults={"position": position, "placed_by": self.user}
                )
                picks.append(pick)
            after = {pk: n for n, pk in enumerate(self.order, start=1)}
            for pk in set(before) | set(after):
                if before.get(pk) != after.get(pk):
                    # The front (and the story's own keys) show the change: caches hear of it.
                    announce(stories.get(pk) or Article(pk=pk), StoryEvent.UPDATED)
        return picks
