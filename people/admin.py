from django.contrib import admin

from newsroom.media.admin import RefusesUploadsStorageCannotTake
from people import accounts  # noqa: F401 -- registers the staff account pages
from people.models import Person
from people.policy import person_policy


@admin.register(Person)
class PersonAdmin(RefusesUploadsStorageCannotTake, admin.ModelAdmin):
    """People; what each user may change is ``people.policy``'s decision, enforced here on the
    server (the login link is read-only for everyone who may not manage accounts)."""

    list_display = ["name", "description", "affiliation", "user", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["name", "description", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "affiliation", "bio", "portrait"]}),
        ("Newsroom only", {"fields": ["user", "contact_notes"]}),
    ]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or person_policy.may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or person_policy.may_change(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            *person_policy.locked_fields(request.user),
        ]
