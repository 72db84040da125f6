"""Reads compiled once and run with new values return what the ORM returns each time."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from newsroom.prepared import PreparedRead
from tests import factories

pytestmark = pytest.mark.django_db


def visible_among(moment, ids):
    return Article.objects.published(moment).filter(pk__in=ids).values_list("pk", "headline")


READ = PreparedRead(Article, "published_at", visible_among)


def test_rows_match_the_orm_for_any_number_of_ids_and_any_moment(editor):
    stories = [factories.published(f"Story {n}", hours_ago=n + 1) for n in range(4)]
    later = factories.article("Scheduled story")
    later.publish(by=editor, at=timezone.now() + timedelta(hours=2))
    ids = [s.pk for s in stories] + [later.pk]
    for moment in (timezone.now(), timezone.now() + timedelta(hours=3)):
        for count in (1, 3, len(ids)):
            expected = set(visible_among(moment, ids[:count]))
            assert set(READ.rows(moment, ids[:count])) == expected
    assert (later.pk, "Scheduled story") not in READ.rows(timezone.now(), ids)
    assert (later.pk, "Scheduled story") in READ.rows(timezone.now() + timedelta(hours=3), ids)


def test_a_query_that_loses_its_placeholders_is_refused(db):
    broken = PreparedRead(Article, "published_at", lambda moment, ids: Article.objects.all())
    with pytest.raises(ValueError, match="placeholders"):
        broken.rows(timezone.now(), [1])
