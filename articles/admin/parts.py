"""Sections, quotes and related headlines on their own admin pages.

Quotes and related headlines belong to a story, so the story's rule applies to them too: a
reporter may only touch those of a draft they may edit, and may not move one onto another story.
"""

from django.contrib import admin

from articles.models import Quote, RelatedHeadline, Section, StoryRedirect
from articles.publishing import policy as rules
from articles.publishing import revisions
from articles.publishing.policy import policy
from articles.publishing.quotes import ConfirmQuotes
from articles.publishing.steps import can_edit


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class StoryPartAdmin(admin.ModelAdmin):
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj.article))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = policy.stories(request.user, rules.EDIT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        revisions.announce_if_live(obj.article)


@admin.register(Quote)
class QuoteAdmin(StoryPartAdmin):
    list_display = ["__str__", "speaker", "article", "confirmed"]
    list_select_related = ["speaker", "article"]
    list_filter = ["confirmed"]
    search_fields = ["text", "speaker__name", "article__headline"]
    autocomplete_fields = ["speaker", "article"]
    actions = ["confirm"]

    @admin.action(description="Confirm selected quotes", permissions=["change"])
    def confirm(self, request, queryset):
        quotes = queryset.select_related("article")
        confirmed, skipped = ConfirmQuotes(quotes, request.user).execute()
        note = f" ({skipped} on stories you may not edit were left alone)" if skipped else ""
        self.message_user(request, f"{confirmed} quotes confirmed{note}.")


class ResolvedFilter(admin.SimpleListFilter):
    title = "linked"
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", "Unresolved"), ("yes", "Linked")]

    def queryset(self, request, queryset):
        unresolved = RelatedHeadline.objects.unresolved()
        if self.value() == "no":
            return queryset.filter(pk__in=unresolved.values("pk"))
        if self.value() == "yes":
            return queryset.exclude(pk__in=unresolved.values("pk"))
        return queryset


@admin.register(RelatedHeadline)
class RelatedHeadlineAdmin(StoryPartAdmin):
    list_display = ["headline", "article", "target", "url", "position"]
    list_select_related = ["article", "target"]
    list_filter = [ResolvedFilter]
    search_fields = ["headline", "article__headline", "target__headline"]
    autocomplete_fields = ["article", "target"]


@admin.register(StoryRedirect)
class StoryRedirectAdmin(admin.ModelAdmin):
    """Old addresses of stories: added automatically when a public story moves; editable."""

    list_display = ["old_path", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_path", "article__headline"]
    autocomplete_fields = ["article"]
