import uuid

from django.db import models

from articles.signals import StoryEvent

# The events an endpoint may ask for: the ones that change what partners may show.
WEBHOOK_EVENTS = (
    StoryEvent.PUBLISHED,
    StoryEvent.UPDATED,
    StoryEvent.CORRECTED,
    StoryEvent.UNPUBLISHED,
    StoryEvent.KILLED,
    StoryEvent.DELETED,
)


class WebhookEndpointQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class WebhookEndpoint(models.Model):
    """A partner's URL that hears about stories as they change (articles/webhooks/)."""

    url = models.URLField(max_length=500, help_text="http(s) only; private addresses are refused.")
    secret = models.CharField(
        max_length=200, help_text="Shared with the receiver, who checks each body's signature."
    )
    events = models.JSONField(default=list, help_text="The story events this endpoint hears.")
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["url", "id"]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event: str) -> bool:
        return event in (self.events or [])

    def clean(self):
        from articles.webhooks.addresses import check_endpoint_url

        self.events = [str(e) for e in self.events or []]
        check_endpoint_url(self.url)
        unknown = sorted(set(self.events) - {str(e) for e in WEBHOOK_EVENTS})
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError({"events": f"Unknown events: {', '.join(unknown)}."})


class WebhookDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=WebhookDelivery.Status.PENDING)


class WebhookDelivery(models.Model):
    """One event for one endpoint: its body, and how sending it went (the delivery log)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # One delivery per endpoint and event occurrence, however often the fan-out task runs.
    event_key = models.CharField(max_length=64, editable=False)
    event = models.CharField(max_length=20)
    story_id = models.BigIntegerField(help_text="The story's id (it may since have been deleted).")
    payload = models.JSONField(help_text="What is sent, besides the delivery id and timestamp.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, help_text="The start of the last answer.")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_key"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} story {self.story_id} → {self.endpoint}"
