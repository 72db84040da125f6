"""Purges the CDN or Varnish did not take, for whoever runs the site (the Admin role).

Read-only: each row is a purge that failed at least once, with its keys, attempts and last
error; "Retry now" sends the still-pending ones again at once.
"""

from django.contrib import admin

from articles.edgecache.tasks import send_purge
from articles.models import PurgeFailure


@admin.register(PurgeFailure)
class PurgeFailureAdmin(admin.ModelAdmin):
    list_display = [
        "first_failed_at",
        "keys",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
    ]
    list_filter = ["status"]
    search_fields = ["keys"]
    actions = ["retry_now"]
    readonly_fields = [
        "keys",
        "status",
        "attempts",
        "last_error",
        "first_failed_at",
        "last_attempt_at",
        "next_attempt_at",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # a log: read, never edited by hand

    @admin.action(description="Retry selected purges now", permissions=["view"])
    def retry_now(self, request, queryset):
        pending = list(queryset.filter(status=PurgeFailure.Status.RETRYING))
        for failure in pending:
            send_purge.enqueue(failure.keys.split(), failure.pk)
        self.message_user(request, f"{len(pending)} purge(s) sent again.")
