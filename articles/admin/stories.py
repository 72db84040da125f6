"""The story page of the admin: bylines, tags, related headlines, quotes, workflow, revisions.

Every write path goes through one rule set: the permission policy (``publishing/policy.py``)
for who may, the steps of ``publishing/steps.py`` for every state change, the version guard
(``revisions.claim_version``) and ``revisions.content_saved`` (publishability, history,
readers) for every save.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from js_asset import Media

from articles.admin import story_views
from articles.admin.forms import (
    ArticleAdminForm,
    NewsroomDateInput,
    NewsroomDateTimeField,
    NewsroomDateTimeInput,
)
from articles.admin.inlines import (
    BylineInline,
    CorrectionInline,
    QuoteInline,
    RelatedHeadlineInline,
    own_person,
)
from articles.admin.lead_photo import apply_lead_photo
from articles.admin.widgets import BodyBlocksWidget
from articles.models import Article, Byline, Photo
from articles.publishing import policy as rules
from articles.publishing import revisions
from articles.publishing.policy import policy
from articles.publishing.steps import STEPS, can_edit
from articles.publishing.tasks import refresh_suggestions
from articles.search.words import search_terms, with_words
from articles.times import newsroom_time
from newsroom.paging import CappedPaginator
from newsroom.queue import enqueue_on_commit

# A new story opens with one empty paragraph to type into.
NEW_STORY_BODY = [{"type": "paragraph", "html": ""}]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    # One date-time picker everywhere (the browser's own, in the newsroom's time zone).
    formfield_overrides = {
        models.DateTimeField: {
            "form_class": NewsroomDateTimeField,
            "widget": NewsroomDateTimeInput,
        },
        models.DateField: {"widget": NewsroomDateInput},
    }
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
    # The one-screen form: fieldsets marked "side" go to the sidebar, the rest to the main
    # column (templates/admin/articles/article/change_form.html); inlines say their own panel.
    inlines = [BylineInline, RelatedHeadlineInline, QuoteInline, CorrectionInline]
    fieldsets = [
        (None, {"fields": ["headline", "dek", "body"], "classes": ["story-main"]}),
        (
            "Dateline",
            {
                "fields": [("dateline_place", "dateline_date", "dateline_agency")],
                "classes": ["story-main", "story-dateline"],
            },
        ),
        ("Section and tags", {"fields": ["section", "tags"], "classes": ["side"]}),
        (
            "Address",
            {"fields": ["slug"], "classes": ["side", "collapse"]},
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
        # Every field of the form, not only the fieldsets': the sidebar renders the others.
        kwargs["fields"] = ArticleAdminForm.Meta.fields
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

    def get_changeform_initial_data(self, request):
        return {"body": NEW_STORY_BODY, **super().get_changeform_initial_data(request)}

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        person = own_person(request.user) if isinstance(inline, BylineInline) else None
        if person is not None and obj.pk is None:
            kwargs["initial"] = [{"person": person.pk, "role": Byline.Role.AUTHOR}]
        return kwargs

    def get_search_results(self, request, queryset, search_term):
        """Every word in the headline, summary or body, on the word index (the archive is too
        large to read); the related-headline picker offers published stories only."""
        if request.GET.get("field_name") == "target":
            queryset = queryset.published()
        return with_words(queryset, search_terms(search_term)), False

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except revisions.StaleVersion:
            # Lost the race between validation and the guarded UPDATE (rolled back whole).
            # Run again: validation now sees the winner and re-renders this editor's text.
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # The save path refused what validation let through (a published story left
            # unpublishable, a step that cannot be taken). All of it was rolled back: show the
            # editor why, with the form as they sent it.
            for stored in getattr(request, "_newsroom_stored", []):
                stored.storage.delete(stored.name)  # an uploaded lead photo went with it
            request._newsroom_refused = exc.messages
            return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context.get("adminform") and context["adminform"].form
        if form is not None and getattr(form, "conflict", None):
            self.keep_refused_text(request, obj, form.conflict)
        context.update(story_views.change_form_context(request, obj or Article()))
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
        photos = self.admin_site._registry.get(Photo)
        request._newsroom_stored = apply_lead_photo(
            form,
            obj,
            may_add=bool(photos and photos.has_add_permission(request)),
            may_change=bool(photos and photos.has_change_permission(request, obj.lead_photo)),
        )
        obj.save()

    def save_related(self, request, form, formsets, change):
        """The parts, the new body blocks that point at them, the history, then the step.

        All of it runs in the admin's one transaction: a step that is refused (a story that
        cannot be published, say) raises ``ValidationError``, nothing is kept, and
        ``changeform_view`` shows the form again as the editor sent it, with the reason.
        """
        super().save_related(request, form, formsets, change)
        article = form.instance
        place_new_blocks(form, formsets, article)
        revisions.content_saved(article, request.user)
        enqueue_on_commit(refresh_suggestions, article.pk)
        step = form.step
        if step is None:
            return
        data = form.cleaned_data
        action = step.make(
            article,
            request.user,
            at=data.get("step_at"),
            note=data.get("step_note") or "",
            kind=data.get("step_kind") or "",
        )
        try:
            request._newsroom_step = (step, action.execute())
        except PermissionDenied as exc:
            raise ValidationError(f"{step.label}: {exc or 'not allowed.'}") from exc
        except ValidationError as exc:
            raise ValidationError(f"{step.label}: {' '.join(exc.messages)}") from exc

    def response_add(self, request, obj, post_url_continue=None):
        if "_step" in request.POST:
            return self._after_step(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_step" in request.POST:
            return self._after_step(request, obj)
        return super().response_change(request, obj)

    def _after_step(self, request, article):
        step, done = getattr(request, "_newsroom_step", (None, False))
        label = step.label if step else "The step"
        if done:
            message = f"Saved, and {label.lower()}: done."
            if article.is_scheduled:
                message += f" It appears {newsroom_time(article.published_at)}."
            self.message_user(request, message, messages.SUCCESS)
        else:
            self.message_user(request, f"Saved. {label}: nothing to do, it already was.")
        return redirect(reverse("admin:articles_article_change", args=[article.pk]))

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


def place_new_blocks(form, formsets, article) -> None:
    """Body blocks that point at related headlines or quotes added in the same save.

    The body editor names such a row by its form prefix (it has no id yet); the form set those
    blocks aside (``ArticleAdminForm.new_blocks``) and they go back in, with the new ids, once
    the rows are saved, so a related or pull-quote block needs no second save.
    """
    pending = getattr(form, "new_blocks", [])
    if not pending:
        return
    saved = {
        sub.prefix: sub.instance.pk
        for formset in formsets
        for sub in formset.forms
        if sub.instance.pk and sub.instance.article_id == article.pk
    }
    body = list(article.body)
    for position, kind, prefix in pending:
        if prefix in saved:
            body.insert(min(position, len(body)), {"type": kind, "id": saved[prefix]})
    if body != article.body:
        article.body = body
        article.save(update_fields=["body", "updated_at"])


def _bulk(step):
    def run(model_admin, request, queryset):
        model_admin._run_step(request, queryset, step)

    run.__name__ = step.name
    return run
