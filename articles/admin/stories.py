"""The story page of the admin: bylines, tags, related headlines, quotes, workflow, revisions.

Every write path goes through one rule set: the permission policy (``publishing/policy.py``)
for who may, the steps of ``publishing/steps.py`` for every state change, the version guard
(``revisions.claim_version``) and ``revisions.content_saved`` (publishability, history,
readers) for every save.
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
from articles.publishing import policy as rules
from articles.publishing import revisions
from articles.publishing.policy import policy
from articles.publishing.steps import STEPS, can_edit
from articles.publishing.tasks import refresh_suggestions
from newsroom.queue import enqueue_on_commit


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

    def has_add_permission(self, request):
        return policy.may_ever(request.user, rules.CREATE)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policy.may(request.user, rules.DELETE, obj))

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

        refused = getattr(request, "_newsroom_refused", None)

        class StoryForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=user, refused=refused, **kw)

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
        except ValidationError as exc:
            # The save path refused what validation let through (a published story left
            # unpublishable, say). All of it was rolled back: show the editor why, form intact.
            request._newsroom_refused = exc.messages
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform") and context["adminform"].form
        if form is not None and getattr(form, "conflict", None):
            self.keep_refused_text(request, obj, form.conflict)
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
        revisions.content_saved(article, request.user)
        enqueue_on_commit(refresh_suggestions, article.pk)

    def keep_refused_text(self, request, article, conflict) -> None:
        """A refused stale save keeps the editor's words as an "unsaved" revision."""
        if conflict["unsaved"] is not None or article is None:
            return
        conflict["unsaved"] = revisions.keep_unsaved(
            article,
            request.user,
            theirs=conflict["theirs"],
            mine=conflict["mine"],
            note=f"Refused: opened at version {conflict['opened']}, "
            f"story was at {conflict['current']}",
        )

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

    def _run_step(self, request, queryset, step):
        """Run one step per selected story; each refusal is reported, none is a 500."""
        count = 0
        for article in queryset:
            try:
                if step.make(article, request.user).execute():
                    count += 1
            except (PermissionDenied, ValidationError) as exc:
                message = "; ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"\u201c{article}\u201d: {message}", messages.ERROR)
        if count:
            story = "story" if count == 1 else "stories"
            self.message_user(request, f"{step.label}: {count} {story}.")

    def get_actions(self, request):
        actions = super().get_actions(request)
        for step in STEPS.values():
            if step.in_bulk and policy.may_ever(request.user, step.name):
                actions[step.name] = (_bulk(step), step.name, f"{step.label}: selected stories")
        return actions


def _bulk(step):
    def run(model_admin, request, queryset):
        model_admin._run_step(request, queryset, step)

    run.__name__ = step.name
    return run
