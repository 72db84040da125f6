"""The story page of the admin: bylines, tags, related headlines, quotes, workflow, revisions.

Every write path goes through one rule set: ``can_edit`` for content edits (reporters: their own
drafts only), the steps in articles/publishing/ for every state change, and the version
guard (``revisions.claim_version``) for every save.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.urls import path, reverse
from js_asset import Media

from articles.admin import story_views
from articles.admin.forms import ArticleAdminForm
from articles.admin.widgets import BodyBlocksWidget
from articles.models import Article, Byline, Correction, Quote, RelatedHeadline, StatusChange
from articles.publishing import revisions
from articles.publishing.steps import (
    Publish,
    ReturnToDraft,
    SubmitForEdit,
    Unpublish,
    Unschedule,
    can_edit,
)
from articles.search.reader import search_terms
from articles.search.words import with_words
from newsroom.paging import CappedPaginator


class StoryPartInline:
    """Inlines follow the story: editable exactly when the story is editable by this user."""

    def _story_editable(self, request, obj):
        return obj is None or can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class BylineInline(StoryPartInline, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]


class QuoteInline(StoryPartInline, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "confirmed"), "text", ("speaker_description", "position")]


class RelatedHeadlineInline(StoryPartInline, admin.TabularInline):
    model = RelatedHeadline
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "url", "headline", "position"]


class CorrectionInline(admin.TabularInline):
    """Corrections are added with the "Add correction" workflow button (an action), not here."""

    model = Correction
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "note", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["at", "user", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name = "workflow step"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["headline", "section", "state", "published_at", "byline_names"]
    list_select_related = ["section"]
    list_filter = ["status", "section", "published_at"]
    # The archive is large: search the word index, count at most 10,000 rows, never the
    # whole table (no full count, no date drill-down, which reads every row's date).
    search_fields = ["headline", "dek", "body_text"]
    show_full_result_count = False
    paginator = CappedPaginator
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
    actions = ["submit_for_edit", "publish_now", "unschedule", "unpublish", "return_to_draft"]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "section", "tags", "lead_photo", "body"]}),
        ("Dateline", {"fields": [("dateline_place", "dateline_date", "dateline_agency")]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "first_published_at",
                    "unpublish_at",
                    "version",
                    "opened_version",
                ]
            },
        ),
    ]

    def view_on_site(self, obj):
        """Live stories at their address; anything else in the staff preview."""
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("desk:preview", args=[obj.pk])

    # -- who may do what ------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.change_article")

    def has_return_permission(self, request):
        return request.user.has_perm("articles.edit_any_article")

    def get_search_results(self, request, queryset, search_term):
        return with_words(queryset, search_terms(search_term)), False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("person")))
        )

    # -- the form -------------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        user = request.user

        class StoryForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, **kw)

        # After subclassing: the ModelForm metaclass rebuilds base_fields for the subclass.
        if "body" in StoryForm.base_fields:
            StoryForm.base_fields["body"].widget = BodyBlocksWidget(article=obj)
            StoryForm.base_fields["body"].help_text = (
                "Paragraphs, related headlines, photos and pull quotes in reading order "
                "(without JavaScript: the same blocks as JSON)."
            )
        return StoryForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except revisions.StaleVersion:
            # Lost the race between validation and the guarded UPDATE (rolled back whole).
            # Run again: validation now sees the winner and re-renders this editor's text.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context.update(story_views.change_form_context(request, obj))
        # The prose editor's import map is an inline script: it carries the CSP nonce.
        nonce = getattr(request, "csp_nonce", None)
        if nonce is not None:
            context["media"] = Media.from_media(context["media"], nonce=str(nonce))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            revisions.claim_version(obj, form.expected_version)
        else:
            obj.created_by = request.user
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        revisions.record(article, request.user)
        article.refresh_suggested_related()
        revisions.announce_if_live(article)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/workflow/",
                view(story_views.TransitionView.as_view(model_admin=self)),
                name="articles_article_transition",
            ),
            path(
                "<int:pk>/revisions/",
                view(story_views.RevisionsView.as_view(model_admin=self)),
                name="articles_article_revisions",
            ),
            path(
                "<int:pk>/revisions/<int:revision_id>/restore/",
                view(story_views.RestoreView.as_view(model_admin=self)),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/share/",
                view(story_views.ShareLinksView.as_view(model_admin=self)),
                name="articles_article_share",
            ),
            *super().get_urls(),
        ]

    # -- the list -------------------------------------------------------------------------

    @admin.display(description="Status", ordering="status")
    def state(self, article):
        return article.state_label

    @admin.display(description="Bylines")
    def byline_names(self, article):
        return ", ".join(b.person.name for b in article.bylines.all())

    def _run(self, request, queryset, action_class, done):
        """Run one action class per selected story; each refusal is reported, none is a 500."""
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

    @admin.action(description="Submit selected drafts for edit", permissions=["submit"])
    def submit_for_edit(self, request, queryset):
        self._run(request, queryset, SubmitForEdit, "submitted for edit")

    @admin.action(description="Publish selected stories now", permissions=["publish"])
    def publish_now(self, request, queryset):
        self._run(request, queryset, Publish, "published")

    @admin.action(description="Unschedule selected stories", permissions=["publish"])
    def unschedule(self, request, queryset):
        self._run(request, queryset, Unschedule, "unscheduled")

    @admin.action(description="Unpublish selected stories", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._run(request, queryset, Unpublish, "unpublished")

    @admin.action(description="Return selected stories to draft", permissions=["return"])
    def return_to_draft(self, request, queryset):
        self._run(request, queryset, ReturnToDraft, "returned to draft")
