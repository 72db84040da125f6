from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch

from ..actions import Publish, Unpublish
from ..models import (
    Article,
    Byline,
    Correction,
    Photo,
    Quote,
    RelatedHeadline,
    Section,
    StatusChange,
)
from ..renditions import ensure_renditions


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit", "is_file_photo", "photographer", "has_file", "created_at"]
    list_select_related = ["photographer"]
    list_filter = ["is_file_photo", "created_at"]
    search_fields = ["caption", "credit", "alt_text", "photographer__name"]
    autocomplete_fields = ["photographer"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["image", "caption", "alt_text"]}),
        (
            "Credit and rights",
            {"fields": ["credit", "is_file_photo", "photographer", "license_url", "rights"]},
        ),
        ("Crops", {"fields": ["focal_x", "focal_y"], "classes": ["collapse"]}),
    ]

    @admin.display(boolean=True, description="File")
    def has_file(self, photo):
        return bool(photo.image)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if (
            "image" in form.changed_data
            or "focal_x" in form.changed_data
            or "focal_y" in form.changed_data
        ):
            ensure_renditions(obj, force=True)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "confirmed"), "text", ("speaker_description", "position")]


class RelatedHeadlineInline(admin.TabularInline):
    model = RelatedHeadline
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "url", "headline", "position"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["kind", "note", "created_at"]
    readonly_fields = ["created_at"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["at", "user", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "section", "status", "published_at", "byline_names", "updated_at"]
    list_select_related = ["section"]
    list_filter = ["status", "section", "published_at"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["section", "lead_photo"]
    readonly_fields = [
        "status",
        "published_at",
        "first_published_at",
        "version",
        "created_at",
        "updated_at",
    ]
    inlines = [
        BylineInline,
        RelatedHeadlineInline,
        QuoteInline,
        CorrectionInline,
        StatusChangeInline,
    ]
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "section", "tags", "lead_photo", "body"]}),
        ("Dateline", {"fields": [("dateline_place", "dateline_date", "dateline_agency")]}),
        (
            "Publishing",
            {"fields": ["status", "published_at", "first_published_at", "unpublish_at", "version"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("person")))
        )

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(b.person.name for b in article.bylines.all())

    def _run(self, request, queryset, action_class, done):
        count = 0
        for article in queryset:
            try:
                if action_class(article, request.user).execute():
                    count += 1
            except (PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"\u201c{article}\u201d: {message}", messages.ERROR)
        if count:
            self.message_user(request, f"{count} {'story' if count == 1 else 'stories'} {done}.")

    @admin.action(description="Publish selected stories now")
    def publish_now(self, request, queryset):
        self._run(request, queryset, Publish, "published")

    @admin.action(description="Unpublish selected stories")
    def unpublish(self, request, queryset):
        self._run(request, queryset, Unpublish, "unpublished")


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "article", "confirmed"]
    list_select_related = ["speaker", "article"]
    list_filter = ["confirmed"]
    search_fields = ["text", "speaker__name", "article__headline"]
    autocomplete_fields = ["speaker", "article"]
    actions = ["confirm"]

    @admin.action(description="Confirm selected quotes")
    def confirm(self, request, queryset):
        updated = queryset.update(confirmed=True)
        self.message_user(request, f"{updated} quotes confirmed.")


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
class RelatedHeadlineAdmin(admin.ModelAdmin):
    list_display = ["headline", "article", "target", "url", "position"]
    list_select_related = ["article", "target"]
    list_filter = [ResolvedFilter]
    search_fields = ["headline", "article__headline", "target__headline"]
    autocomplete_fields = ["article", "target"]
