from django.contrib import admin

from .models import Person


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "affiliation", "user", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["name", "description", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "affiliation", "bio", "portrait"]}),
        ("Newsroom only", {"fields": ["user", "contact_notes"]}),
    ]
