"""The admin's extra story pages: workflow steps, revision history and restore, share links.

Thin views: the publishing steps decide what is allowed; ``publishing.revisions`` does the work.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from articles.admin.forms import TransitionForm
from articles.models import Article, Revision, ShareLink, Status
from articles.publishing import revisions
from articles.publishing.steps import (
    AddCorrection,
    Kill,
    Publish,
    ReturnToDraft,
    SubmitForEdit,
    Unpublish,
    Unschedule,
    can_edit,
)

SUGGESTIONS_SHOWN = 8


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow_buttons(user, article) -> list[str]:
    """The steps worth offering for this story to this user (the actions still check)."""
    may_publish = user.has_perm("articles.publish_article")
    offered = []
    if article.status == Status.DRAFT and can_edit(user, article):
        offered.append("submit")
    if may_publish and article.status in (Status.DRAFT, Status.READY, Status.UNPUBLISHED):
        offered += ["publish", "schedule"]
    if may_publish and article.status == Status.PUBLISHED:
        offered += ["unschedule", "schedule"] if article.is_scheduled else ["unpublish", "kill"]
    if may_publish and article.status == Status.UNPUBLISHED:
        offered.append("kill")
    if article.status in (Status.READY, Status.UNPUBLISHED) and user.has_perm(
        "articles.edit_any_article"
    ):
        offered.append("return")
    if article.status == Status.PUBLISHED and user.has_perm("articles.add_correction"):
        offered.append("correct")
    return offered


def change_form_context(request, article) -> dict:
    """What the story page shows around the form: workflow, presence, previews, suggestions."""
    related_targets = article.related_headlines.exclude(target=None).values("target_id")
    suggestions = (
        Article.objects.similar_to(article)
        .exclude(pk__in=related_targets)
        .select_related("section")
        .only("id", "headline", "published_at", "section__name", "slug")[:SUGGESTIONS_SHOWN]
    )
    return {
        "workflow": workflow_buttons(request.user, article),
        "transition_form": TransitionForm(),
        "share_links": list(article.share_links.all()[:10]),
        "may_share": may_share(request.user, article),
        "suggestions": suggestions,
    }


def may_share(user, article) -> bool:
    return user.has_perm("articles.publish_article") or can_edit(user, article)


class StoryAdminView(View):
    """A view on one story inside the admin; ``model_admin`` gives the admin's context."""

    model_admin = None

    def story(self, request, pk) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.model_admin.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def context(self, request, article, **extra) -> dict:
        opts = Article._meta
        return {
            **self.model_admin.admin_site.each_context(request),
            "opts": opts,
            "original": article,
            "article": article,
            "has_view_permission": True,
            **extra,
        }


class TransitionView(StoryAdminView):
    """POST one workflow step; refusals and validation problems come back as messages."""

    def post(self, request, pk):
        article = self.story(request, pk)
        form = TransitionForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(change_url(article))
        data, user = form.cleaned_data, request.user
        note, action = data["note"] or "", data["action"]
        steps = {
            "submit": lambda: SubmitForEdit(article, user, note=note),
            "publish": lambda: Publish(article, user, note=note),
            "schedule": lambda: Publish(article, user, at=data["at"], note=note),
            "unschedule": lambda: Unschedule(article, user, note=note),
            "unpublish": lambda: Unpublish(article, user, note=note),
            "kill": lambda: Kill(article, user, note=note),
            "return": lambda: ReturnToDraft(article, user, note=note),
            "correct": lambda: AddCorrection(
                article, user, note=note, kind=data["kind"] or "correction"
            ),
        }
        label = dict(TransitionForm.ACTIONS)[action]
        try:
            done = steps[action]().execute()
        except (PermissionDenied, ValidationError) as exc:
            problems = getattr(exc, "messages", None) or [str(exc) or "Not allowed."]
            messages.error(request, f"{label}: {' '.join(problems)}")
        else:
            if done:
                messages.success(request, f"{label}: done.")
            else:
                messages.info(request, f"{label}: nothing to do, it already was.")
        return redirect(change_url(article))


class RevisionsView(StoryAdminView):
    """Every revision of a story, and two of them side by side (``?a=&b=``)."""

    def get(self, request, pk):
        article = self.story(request, pk)
        history = list(article.revisions.select_related("created_by"))
        by_id = {r.pk: r for r in history}
        a = by_id.get(_int(request.GET.get("a")))
        b = by_id.get(_int(request.GET.get("b")))
        if not (a and b) and len(history) >= 2:
            a, b = history[1], history[0]
        rows = revisions.compare(a.snapshot, b.snapshot) if a and b else []
        context = self.context(
            request,
            article,
            title=f"History of \u201c{article.headline}\u201d",
            history=history,
            left=a,
            right=b,
            rows=rows,
            may_restore=can_edit(request.user, article),
        )
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)


class RestoreView(StoryAdminView):
    def post(self, request, pk, revision_id):
        article = self.story(request, pk)
        if not can_edit(request.user, article):
            raise PermissionDenied
        revision = get_object_or_404(Revision, pk=revision_id, article=article)
        try:
            revisions.restore(revision, request.user, _int(request.POST.get("version")) or 0)
        except revisions.StaleVersion:
            messages.error(request, "The story changed since you opened its history: look again.")
            return redirect(reverse("admin:articles_article_revisions", args=[article.pk]))
        messages.success(request, f"Restored version {revision.version} as a new version.")
        return redirect(change_url(article))


class ShareLinksView(StoryAdminView):
    """Make or revoke a share link: an outsider's view of this one draft."""

    def post(self, request, pk):
        article = self.story(request, pk)
        if not may_share(request.user, article):
            raise PermissionDenied
        revoke = _int(request.POST.get("revoke"))
        if revoke:
            get_object_or_404(ShareLink, pk=revoke, article=article).revoke()
            messages.success(request, "Share link revoked.")
        else:
            days = min(max(_int(request.POST.get("days")) or 7, 1), 30)
            link = ShareLink.create_for(article, request.user, days=days)
            url = request.build_absolute_uri(link.get_absolute_url())
            messages.success(request, f"Share link for {days} days: {url}")
        return redirect(change_url(article))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
