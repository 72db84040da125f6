"""What the metrics count moves when the thing happens: webhook deliveries and wire imports.

(Page-cache hits, purges and tasks are counted in the tests of their own parts.)
"""

import pytest

from articles.models import WebhookDelivery, WebhookEndpoint
from articles.webhooks.tasks import deliver_webhook, fan_out_story_event
from articles.wire.files import ImportRefused
from articles.wire.importer import ImportWireStory
from newsroom.monitoring import metrics
from tests import factories
from tests.support import WIRE_FIXTURES
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.django_db


def counted(counter, **labels) -> float:
    return counter.labels(**labels)._value.get()


def test_webhook_deliveries_are_counted_by_outcome(settings):
    settings.NEWSROOM_WEBHOOK_ALLOW_PRIVATE = True
    settings.NEWSROOM_WEBHOOK_TIMEOUT = 2
    story = factories.published()
    retrying = counted(metrics.WEBHOOK_DELIVERIES, outcome="retrying")
    delivered = counted(metrics.WEBHOOK_DELIVERIES, outcome="delivered")
    with Receiver(statuses=[503, 200]) as receiver:
        WebhookEndpoint.objects.create(url=receiver.url, secret="s", events=["published"])
        fan_out_story_event.call(story.pk, "published", "metrics-key")  # first send: 503
        WebhookDelivery.objects.update(next_attempt_at=None)  # its retry is due
        deliver_webhook.call(str(WebhookDelivery.objects.get().pk))  # the retry: 200
    assert counted(metrics.WEBHOOK_DELIVERIES, outcome="retrying") == retrying + 1
    assert counted(metrics.WEBHOOK_DELIVERIES, outcome="delivered") == delivered + 1


def test_wire_imports_are_counted_by_outcome(editor):
    text = (WIRE_FIXTURES / "port-cranes-two-bylines.txt").read_text(encoding="utf-8")
    imported = counted(metrics.IMPORTS, outcome="imported")
    present = counted(metrics.IMPORTS, outcome="already present")
    refused = counted(metrics.IMPORTS, outcome="refused")
    ImportWireStory(text, editor).execute()
    ImportWireStory(text, editor).execute()
    with pytest.raises(ImportRefused):
        ImportWireStory("", editor).execute()
    assert counted(metrics.IMPORTS, outcome="imported") == imported + 1
    assert counted(metrics.IMPORTS, outcome="already present") == present + 1
    assert counted(metrics.IMPORTS, outcome="refused") == refused + 1
