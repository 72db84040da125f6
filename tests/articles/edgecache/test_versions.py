"""Versions per key: bumps, scheduled transitions, and each process's copy of them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.edgecache import keys as K
from articles.edgecache import versions
from tests import factories

pytestmark = pytest.mark.django_db


def record(key: str):
    return cache.get(versions.record_key(key))


def test_a_bump_changes_the_token_and_moves_last_modified_on():
    versions.current(["story-1", "front"])
    before = record("story-1")
    versions.bump({"story-1"})
    after = record("story-1")
    assert after[versions.TOKEN] != before[versions.TOKEN]
    assert after[versions.CHANGED] >= before[versions.CHANGED] + 1
    assert record("front") is not None and record("front")[versions.TOKEN]  # untouched


def test_a_bump_of_an_unknown_key_leaves_it_due_for_the_database():
    versions.bump({"tag-new"})
    stored = record("tag-new")
    assert versions.is_due(stored, versions.now_seconds() + 0.001)
    made = versions.current(["tag-new"])["tag-new"]
    assert not versions.is_due(made, versions.now_seconds()) and made[versions.NEXT] is None


def test_next_transitions_are_read_per_key(editor):
    now = timezone.now()
    sport, world = factories.section("Sport"), factories.section("World")
    soon = factories.article("Soon", section=sport)
    soon.tags.add("finals")
    soon.publish(by=editor, at=now + timedelta(minutes=5))
    ending = factories.published("Ending", section=world, by=editor)
    ending.unpublish_at = now + timedelta(minutes=9)
    ending.save()
    found = versions.next_transitions(
        ["section-sport", "section-world", "tag-finals", "front", "feeds", f"story-{ending.pk}"],
        now.timestamp(),
    )
    assert found["section-sport"] == pytest.approx((now + timedelta(minutes=5)).timestamp())
    assert found["tag-finals"] == found["section-sport"] == found["front"]
    assert found["section-world"] == pytest.approx((now + timedelta(minutes=9)).timestamp())
    assert found[f"story-{ending.pk}"] == found["section-world"]
    assert found["feeds"] is None  # only explicit changes move it


def test_a_hashed_slug_key_takes_the_earliest_time_of_any_story(editor):
    now = timezone.now()
    story = factories.article("Zurich")
    story.publish(by=editor, at=now + timedelta(minutes=3))
    key = K.tag("zürich")
    assert key.startswith("tag--")
    assert versions.next_transitions([key], now.timestamp())[key] == pytest.approx(
        (now + timedelta(minutes=3)).timestamp()
    )


def test_a_due_record_rolls_the_same_way_in_every_process():
    versions.current(["front"])
    at = versions.now_seconds() + 60
    versions.bump({"front"}, [timezone.now() + timedelta(seconds=60)], changed=False)
    stored = record("front")
    assert stored[versions.NEXT] == pytest.approx(at, abs=1)
    later = stored[versions.NEXT] + 1
    first = versions.current(["front"], now=later)["front"]
    cache.set(versions.record_key("front"), stored)  # another process read the old record
    second = versions.current(["front"], now=later)["front"]
    assert first[versions.TOKEN] == second[versions.TOKEN] != stored[versions.TOKEN]
    assert first[versions.ROLLED] == stored[versions.NEXT]


def test_a_change_during_a_render_is_noticed():
    versions.current(["story-5"])
    seen, started = versions.generation(), versions.now_seconds()
    assert not versions.changed_since(versions.current(["story-5"]).values(), seen, started)
    versions.bump({"story-5"})
    assert versions.changed_since(versions.current(["story-5"]).values(), seen, started)


def test_each_process_copy_drops_just_the_changed_keys():
    keys = [versions.record_key(k) for k in ("story-1", "story-2")]
    versions.current(["story-1", "story-2"])
    local = versions.LocalVersions()
    now = versions.now_seconds()
    first, from_copy = local.lookup(keys, now)
    assert set(local.records) == set(keys) and not from_copy
    versions.bump({"story-1"})
    again, from_copy = local.lookup(keys, now)
    assert from_copy
    assert again[keys[0]][versions.TOKEN] != first[keys[0]][versions.TOKEN]
    assert again[keys[1]] == first[keys[1]]


def test_a_lost_note_empties_the_copy():
    keys = [versions.record_key(k) for k in ("story-1", "story-2")]
    versions.current(["story-1", "story-2"])
    local = versions.LocalVersions()
    local.lookup(keys, versions.now_seconds())
    versions.bump({"story-1"})
    cache.delete(f"{versions.CHANGES_PREFIX}{versions.generation()}")
    local._catch_up(cache.get(versions.GENERATION_KEY))
    assert local.records == {}


def test_a_schedule_reaches_each_process_copy():
    """A schedule changes no token, only the next transition: copies must still learn it."""
    key = versions.record_key("front")
    versions.current(["front"])
    local = versions.LocalVersions()
    local.lookup([key], versions.now_seconds())
    versions.bump({"front"}, [timezone.now() + timedelta(seconds=30)], changed=False)
    seen = local.lookup([key], versions.now_seconds())[0][key]
    assert seen[versions.NEXT] is not None
