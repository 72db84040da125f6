"""Webhooks: signed deliveries, retries with backoff, SSRF refusals, the admin and the command."""

import json
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks import signing
from articles.webhooks.addresses import RefusedAddress, is_public
from articles.webhooks.tasks import deliver_webhook, fan_out_story_event, retry_delay
from tests import factories
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db

ALL_EVENTS = ["published", "updated", "corrected", "unpublished", "killed", "deleted"]


@pytest.fixture
def loopback(settings):
    """Receivers in these tests listen on 127.0.0.1, which production refuses."""
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = True
    settings.NEWSROOM_WEBHOOK_TIMEOUT = 2


def endpoint(url, events=ALL_EVENTS, secret="s3cret-for-tests"):
    item = WebhookEndpoint(url=url, secret=secret, events=list(events))
    item.full_clean()
    item.save()
    return item


def test_a_publish_is_delivered_signed(loopback, editor, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        endpoint(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            story = factories.published("Harbour pilots return")
        [hit] = receiver.received
    body = json.loads(hit.body)
    assert hit.path == "/hooks/newsroom"
    assert body["event"] == "published"
    assert body["story"]["id"] == story.pk
    assert body["story"]["url"] == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert body["story"]["headline"] == "Harbour pilots return"  # the API object
    assert hit.headers["X-Newsroom-Signature"] == signing.signature("s3cret-for-tests", hit.body)
    assert signing.is_valid("s3cret-for-tests", hit.body, hit.headers["X-Newsroom-Signature"])
    assert not signing.is_valid("another secret", hit.body, hit.headers["X-Newsroom-Signature"])
    assert hit.headers["X-Newsroom-Timestamp"] == str(body["timestamp"])
    assert abs(body["timestamp"] - time.time()) < 60
    assert hit.headers["X-Newsroom-Delivery"] == body["delivery"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    assert str(delivery.pk) == body["delivery"]


def test_removals_carry_only_the_id_and_url(loopback, editor, django_capture_on_commit_callbacks):
    story = factories.published("To be killed")
    with Receiver() as receiver:
        endpoint(receiver.url, events=["killed", "deleted"])
        with django_capture_on_commit_callbacks(execute=True):
            story.kill(by=editor, note="Legal.")
        pk, url = story.pk, story.get_absolute_url()
        with django_capture_on_commit_callbacks(execute=True):
            story.delete()
        bodies = [json.loads(r.body) for r in receiver.received]
    assert [b["event"] for b in bodies] == ["killed", "deleted"]
    for body in bodies:
        assert body["story"] == {"id": pk, "url": f"http://127.0.0.1:8000{url}"}


def test_endpoints_hear_only_their_events_and_nothing_never_public(
    loopback, editor, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        endpoint(receiver.url, events=["killed"])
        with django_capture_on_commit_callbacks(execute=True):
            story = factories.published("Only kills wanted")
            draft = factories.article("Secret draft")
            draft.submit_for_edit(by=editor)
            draft.delete()
        assert receiver.received == []
        with django_capture_on_commit_callbacks(execute=True):
            story.kill(by=editor, note="Wrong.")
        assert [json.loads(r.body)["event"] for r in receiver.received] == ["killed"]


def test_failures_are_retried_with_backoff(loopback, settings):
    story = factories.published()
    with Receiver(statuses=[500, 503, 200]) as receiver:
        hook = endpoint(receiver.url)
        assert fan_out_story_event.call(story.pk, "published", "key-1") == 1
        delivery = WebhookDelivery.objects.get()
        # The immediate backend (tests) cannot defer, so the retry waits for a later run.
        deliver_webhook.call(str(delivery.pk))  # already sent once by the fan-out: not due yet
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
            "pending",
            1,
            500,
        )
        wait = delivery.next_attempt_at - delivery.last_attempt_at
        assert timedelta(seconds=29) < wait <= timedelta(seconds=30)
        assert "answered 500" in delivery.last_response
        for expected_attempts, expected_status in ((2, "pending"), (3, "delivered")):
            WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            deliver_webhook.call(str(delivery.pk))
            delivery.refresh_from_db()
            assert (delivery.attempts, delivery.status) == (expected_attempts, expected_status)
        assert len(receiver.received) == 3
        assert len({r.headers["X-Newsroom-Delivery"] for r in receiver.received}) == 1
    assert hook.deliveries.count() == 1
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 120, 480]


def test_a_delivery_gives_up_after_the_last_attempt(loopback, settings):
    settings.NEWSROOM_WEBHOOK_MAX_ATTEMPTS = 2
    story = factories.published()
    with Receiver(statuses=[500]) as receiver:
        endpoint(receiver.url)
        fan_out_story_event.call(story.pk, "published", "key-2")
        delivery = WebhookDelivery.objects.get()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        deliver_webhook.call(str(delivery.pk))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)


def test_the_database_backend_schedules_the_retry(loopback, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    story = factories.published()
    with Receiver(statuses=[502]) as receiver:
        endpoint(receiver.url)
        fan_out_story_event.call(story.pk, "published", "key-3")
        deliver_webhook.call(str(WebhookDelivery.objects.get().pk))
        assert len(receiver.received) == 1
    delivery = WebhookDelivery.objects.get()
    # The first send was queued by the fan-out (run at once); the retry waits for its moment.
    retry = DBTaskResult.objects.filter(
        task_path="articles.webhooks.tasks.deliver_webhook",
        run_after__gt=timezone.now(),
        run_after__year__lt=9999,
    ).get()
    assert retry.args_kwargs["args"] == [str(delivery.pk)]
    assert abs((retry.run_after - delivery.next_attempt_at).total_seconds()) < 1


def test_fan_out_and_delivery_are_idempotent(loopback):
    story = factories.published()
    with Receiver() as receiver:
        endpoint(receiver.url)
        endpoint(receiver.url + "/second")
        assert fan_out_story_event.call(story.pk, "published", "same-key") == 2
        assert fan_out_story_event.call(story.pk, "published", "same-key") == 0
        for delivery in WebhookDelivery.objects.all():
            assert deliver_webhook.call(str(delivery.pk)) == "not due, or already sent"
        assert len(receiver.received) == 2
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_a_slow_endpoint_never_slows_an_editors_save(
    loopback, settings, editor, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with Receiver(delay=3) as receiver:
        endpoint(receiver.url)
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            factories.published("Published while the partner dawdles")
        assert time.monotonic() - started < 2
        assert receiver.received == []
        assert DBTaskResult.objects.filter(
            task_path="articles.webhooks.tasks.fan_out_story_event"
        ).exists()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/hook",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://user:pw@8.8.8.8/hook",
        "http://no-such-host.invalid/hook",
    ],
)
def test_private_and_odd_urls_are_refused(url):
    with pytest.raises(ValidationError) as refused:
        endpoint(url)
    assert refused.value.message_dict["url"]


def test_public_addresses_pass_the_address_rule():
    assert is_public("8.8.8.8") and is_public("2001:4860:4860::8888")
    assert not any(is_public(a) for a in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "169.254.1.1"))
    assert not is_public("::ffff:10.0.0.1") and not is_public("224.0.0.1")


def test_the_address_is_checked_again_at_delivery_time(loopback, settings):
    story = factories.published()
    with Receiver() as receiver:
        endpoint(receiver.url)  # allowed when saved ...
        settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = False  # ... refused when sent
        fan_out_story_event.call(story.pk, "published", "key-4")
        assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert (
        delivery.status == "failed" and "loopback, private or link-local" in delivery.last_response
    )


def test_refused_address_is_a_value_error():
    assert issubclass(RefusedAddress, ValueError)


def test_add_webhook_command(loopback):
    out = StringIO()
    call_command("add_webhook", "http://127.0.0.1:9/hook", "--secret", "abc", stdout=out)
    hook = WebhookEndpoint.objects.get()
    assert hook.events == ALL_EVENTS and hook.secret == "abc" and hook.active
    call_command(
        "add_webhook", "http://127.0.0.1:9/b", "--secret", "x", "--events", "published,killed"
    )
    assert WebhookEndpoint.objects.get(url__endswith="/b").events == ["published", "killed"]
    with pytest.raises(CommandError, match="Unknown events: read"):
        call_command("add_webhook", "http://127.0.0.1:9/c", "--secret", "x", "--events", "read")


def test_add_webhook_refuses_private_addresses_by_default():
    with pytest.raises(CommandError, match="loopback, private or link-local"):
        call_command("add_webhook", "http://127.0.0.1:9/hook", "--secret", "abc")
    assert not WebhookEndpoint.objects.exists()


def test_only_the_admin_role_manages_webhooks_and_can_resend(client, loopback):
    story = factories.published()
    with Receiver() as receiver:
        endpoint(receiver.url)
        fan_out_story_event.call(story.pk, "published", "key-5")
        delivery = WebhookDelivery.objects.get()

        editor = factories.user("Editor", username="plain-editor")
        client.force_login(editor)
        assert client.get("/admin/articles/webhookendpoint/").status_code == 403
        assert client.get("/admin/articles/apikey/").status_code == 403

        admin = factories.user("Admin", username="role-admin")
        client.force_login(admin)
        assert client.get("/admin/articles/webhookdelivery/").status_code == 200
        page = client.get(f"/admin/articles/webhookdelivery/{delivery.pk}/change/")
        assert page.status_code == 200 and b"answered 200" in page.content
        response = client.post(
            "/admin/articles/webhookdelivery/",
            {"action": "resend_deliveries", "_selected_action": [str(delivery.pk)]},
            follow=True,
        )
        assert b"queued again" in response.content
        assert len(receiver.received) == 2
    assert WebhookDelivery.objects.filter(status="delivered").count() == 2


def test_the_admin_form_keeps_the_secret_and_refuses_private_urls(client, settings):
    admin = factories.user("Admin", username="role-admin")
    client.force_login(admin)
    response = client.post(
        "/admin/articles/webhookendpoint/add/",
        {"url": "http://10.0.0.5/hook", "secret": "x", "events": ["published"], "active": "on"},
    )
    assert response.status_code == 200 and b"private" in response.content
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = True
    client.post(
        "/admin/articles/webhookendpoint/add/",
        {"url": "http://127.0.0.1:9/h", "secret": "first", "events": ["published"], "active": "on"},
    )
    hook = WebhookEndpoint.objects.get()
    form = client.get(f"/admin/articles/webhookendpoint/{hook.pk}/change/")
    assert b"first" not in form.content  # the secret is never shown back
    client.post(
        f"/admin/articles/webhookendpoint/{hook.pk}/change/",
        {"url": "http://127.0.0.1:9/h", "secret": "", "events": ["killed"], "active": "on"},
    )
    hook.refresh_from_db()
    assert (hook.secret, hook.events) == ("first", ["killed"])


def test_api_keys_in_the_admin_are_shown_once(client):
    client.force_login(factories.user("Admin", username="role-admin"))
    response = client.post(
        "/admin/articles/apikey/add/", {"name": "Regional Daily", "rate": "5000/hour"}, follow=True
    )
    text = response.content.decode()
    raw = text.split("is nrk_", 1)[1].split(" ", 1)[0]
    from articles.models import ApiKey

    key = ApiKey.objects.get()
    assert key.key_hash != "nrk_" + raw and ApiKey.objects.matching("nrk_" + raw).get() == key
    assert client.get(f"/admin/articles/apikey/{key.pk}/change/").content.decode().count(raw) == 0
    bad = client.post("/admin/articles/apikey/add/", {"name": "Bad", "rate": "lots"})
    assert bad.status_code == 200 and b"5000/hour" in bad.content
