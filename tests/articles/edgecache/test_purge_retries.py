"""A purge the CDN does not take: the publish goes on, the purge is retried and shown.

The purge endpoint is a real HTTP server on loopback, stopped and started again; the retries
are the task's own runs (the test backend runs tasks at once and cannot defer, so the test
runs the retry the worker would have run at ``next_attempt_at``).
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.edgecache.tasks import retry_delay, send_purge
from articles.models import PurgeFailure
from newsroom.monitoring import metrics
from tests import factories
from tests.purge_receiver import BanReceiver
from tests.support import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def purge_port(settings):
    port = free_port()
    settings.NEWSROOM_PURGE_BACKEND = "articles.edgecache.purge.HttpBanPurge"
    settings.NEWSROOM_PURGE_URL = f"http://127.0.0.1:{port}/purge"
    return port


def failed_count() -> float:
    return metrics.PURGES.labels(outcome="failed")._value.get()


def test_a_publish_succeeds_with_the_purge_endpoint_down_and_the_purge_is_retried(
    purge_port, django_capture_on_commit_callbacks
):
    story = factories.article("Harbour cranes idle")
    failed_before = failed_count()
    with django_capture_on_commit_callbacks(execute=True):
        story.publish(by=factories.user("Editor"))
    story.refresh_from_db()
    assert story.is_live  # the editor's step went through at once

    failure = PurgeFailure.objects.get()
    assert failure.status == "retrying" and failure.attempts == 1
    assert f"story-{story.pk}" in failure.keys.split()
    assert "could not be reached" in failure.last_error
    wait = (failure.next_attempt_at - failure.last_attempt_at).total_seconds()
    assert wait == retry_delay(1).total_seconds()
    assert failed_count() == failed_before + 1

    # The endpoint comes back; the retry the worker runs at next_attempt_at goes through.
    with BanReceiver(purge_port) as varnish:
        assert send_purge.call(failure.keys.split(), failure.pk) == "sent"
    assert varnish.received == [failure.keys]
    failure.refresh_from_db()
    assert (failure.status, failure.attempts, failure.next_attempt_at) == ("sent", 2, None)
    # A retry that arrives late (run twice) sends nothing more.
    assert send_purge.call(failure.keys.split(), failure.pk) == "already sent"


def test_the_last_failed_attempt_gives_up(purge_port, settings):
    settings.NEWSROOM_PURGE_MAX_ATTEMPTS = 2
    assert send_purge.call(["story-9"]) == "retrying"
    failure = PurgeFailure.objects.get()
    assert send_purge.call(["story-9"], failure.pk) == "gave_up"
    failure.refresh_from_db()
    assert (failure.status, failure.attempts, failure.next_attempt_at) == ("gave_up", 2, None)


def test_the_database_queue_holds_the_retry_for_its_moment(purge_port, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_purge.call(["story-4"])
    failure = PurgeFailure.objects.get()
    retry = DBTaskResult.objects.get(task_path="articles.edgecache.tasks.send_purge")
    assert retry.args_kwargs["args"] == [["story-4"], failure.pk]
    assert abs((retry.run_after - failure.next_attempt_at).total_seconds()) < 1
    assert retry.run_after > timezone.now()


def test_failed_purges_are_listed_for_the_admin_role_only(client, purge_port):
    send_purge.call(["story-5", "front"])
    failure = PurgeFailure.objects.get()
    listing = reverse("admin:articles_purgefailure_changelist")

    client.force_login(factories.user("Editor"))
    assert client.get(listing).status_code == 403

    client.force_login(factories.user("Admin"))
    page = client.get(listing).content.decode()
    assert "front story-5" in page and "could not be reached" in page
    with BanReceiver(purge_port) as varnish:
        client.post(
            listing,
            {"action": "retry_now", "_selected_action": [failure.pk], "index": 0},
        )
    assert varnish.received == ["front story-5"]
    failure.refresh_from_db()
    assert failure.status == "sent"
    # The log is read, never edited.
    change = reverse("admin:articles_purgefailure_change", args=[failure.pk])
    assert 'name="keys"' not in client.get(change).content.decode()
