"""Partners' access, for the Admin role: API keys and webhook endpoints with their delivery log.

The Admin group holds these permissions (migration 0009); editors and reporters do not, so the
admin does not show them these pages at all.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.throttling import SimpleRateThrottle

from articles.models import WEBHOOK_EVENTS, ApiKey, WebhookDelivery, WebhookEndpoint
from articles.models.api_key import KEY_PREFIX, hash_key
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.webhooks.tasks import resend


class ApiKeyForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["name", "rate"]

    def clean_rate(self):
        rate = self.cleaned_data["rate"].strip()
        if rate:
            try:
                SimpleRateThrottle.parse_rate(None, rate)
            except (ValueError, KeyError, IndexError) as exc:
                raise ValidationError(
                    "Write it as a number / s, min, hour or day: '5000/hour'."
                ) from exc
        return rate


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ["name", "prefix", "state", "rate", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    @admin.display(description="State")
    def state(self, key):
        return "active" if key.is_active else f"revoked {key.revoked_at:%Y-%m-%d}"

    def save_model(self, request, obj, form, change):
        if not change:
            import secrets

            raw = KEY_PREFIX + secrets.token_urlsafe(32)
            obj.prefix, obj.key_hash, obj.created_by = raw[:12], hash_key(raw), request.user
            super().save_model(request, obj, form, change)
            self.message_user(
                request,
                f"The key for {obj.name} is {raw} — copy it now: it is stored hashed and "
                "cannot be shown again.",
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke selected keys")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"{count} key{'s' if count != 1 else ''} revoked.")


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(str(e), e.label) for e in WEBHOOK_EVENTS],
        widget=forms.CheckboxSelectMultiple,
        initial=[str(e) for e in WEBHOOK_EVENTS],
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Shared with the receiver to check signatures; empty keeps the current one.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "secret", "active"]

    def clean_secret(self):
        secret = self.cleaned_data["secret"]
        if not secret and not self.instance.pk:
            raise ValidationError("Give the endpoint a secret.")
        return secret or self.instance.secret


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "active", "event_list", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]

    @admin.display(description="Events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "endpoint",
        "event",
        "story_id",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["story_id"]
    actions = ["resend_deliveries"]
    readonly_fields = [
        "id",
        "endpoint",
        "event",
        "story_id",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_status_code",
        "last_response",
        "created_at",
        "delivered_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # The log is read, never edited by hand.
        return False

    @admin.action(description="Resend selected deliveries", permissions=["view"])
    def resend_deliveries(self, request, queryset):
        if not policy.may_ever(request.user, rules.PARTNERS):
            self.message_user(request, "You may not resend webhooks.", messages.ERROR)
            return
        copies = resend(list(queryset))
        self.message_user(
            request, f"{len(copies)} deliver{'ies' if len(copies) != 1 else 'y'} queued again."
        )
