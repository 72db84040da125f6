"""The admin's extra story pages: workflow steps, revision history and restore, share links.

Thin views: the publishing steps decide what is allowed; ``publishing.revisions`` does the work.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from articles.admin.forms import TransitionForm
from articles.admin.lead_photo import alt_repeats_caption
from articles.models import Article, Correction, Photo, Rendition, Revision, ShareLink
from articles.publishing import policy as rules
from articles.publishing import revisions
from articles.publishing.policy import policy
from articles.publishing.steps import can_edit, offered_steps
from articles.times import zone_name

SUGGESTIONS_SHOWN = 8


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def change_form_context(request, article) -> dict:
    """What the story page shows around the form: workflow, presence, previews, suggestions.

    ``article`` may be unsaved (a new story): it has no suggestions, shares or history yet.
    """
    steps = offered_steps(request.user, article) if can_edit(request.user, article) else []
    context = {
        "workflow": steps,
        "workflow_asks_time": any(step.asks_time for step in steps),
        "workflow_asks_note": [step.asks_note for step in steps if step.asks_note],
        "workflow_asks_kind": any(step.asks_kind for step in steps),
        "correction_kinds": Correction.Kind.choices,
        "lead_photo": _lead_photo(article),
        "newsroom_zone": zone_name(),
    }
    if article.pk is None:
        return context
    related_targets = article.related_headlines.exclude(target=None).values("target_id")
    suggestions = (
        Article.objects.similar_to(article)
        .exclude(pk__in=related_targets)
        .select_related("section")
        .only("id", "headline", "published_at", "section__name", "slug")[:SUGGESTIONS_SHOWN]
    )
    return {
        **context,
        # Steps for whoever may take one but not edit the story: the workflow form alone.
        "workflow_only": [] if steps else offered_steps(request.user, article),
        "share_links": list(article.share_links.all()[:10]),
        "may_share": policy.may(request.user, rules.SHARE, article),
        "may_see_history": policy.may(request.user, rules.HISTORY, article),
        "suggestions": suggestions,
    }


def _lead_photo(article):
    """The lead photo with its thumbnail rendition, for the sidebar (or None)."""
    if not article.lead_photo_id:
        return None
    photo = (
        Photo.objects.filter(pk=article.lead_photo_id)
        .prefetch_related(
            Prefetch(
                "renditions",
                queryset=Rendition.objects.filter(spec="thumb", format="jpeg"),
                to_attr="thumbs",
            )
        )
        .first()
    )
    if photo is not None:
        photo.thumb = photo.thumbs[0] if photo.thumbs else None
        photo.alt_repeats_caption = alt_repeats_caption(photo.alt_text, photo.caption)
    return photo


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
        step, data = form.step(), form.cleaned_data
        action = step.make(
            article, request.user, at=data["at"], note=data["note"] or "", kind=data["kind"]
        )
        try:
            done = action.execute()
        except (PermissionDenied, ValidationError) as exc:
            problems = getattr(exc, "messages", None) or [str(exc) or "Not allowed."]
            messages.error(request, f"{step.label}: {' '.join(problems)}")
        else:
            if done:
                messages.success(request, f"{step.label}: done.")
            else:
                messages.info(request, f"{step.label}: nothing to do, it already was.")
        return redirect(change_url(article))


class RevisionsView(StoryAdminView):
    """The story's one history: every save and every workflow step in one timeline, numbered
    by the story's version; two revisions side by side (``?a=&b=``)."""

    def get(self, request, pk):
        article = self.story(request, pk)
        if not policy.may(request.user, rules.HISTORY, article):
            raise PermissionDenied
        history = list(article.revisions.select_related("created_by"))
        by_id = {r.pk: r for r in history}
        a = by_id.get(_int(request.GET.get("a")))
        b = by_id.get(_int(request.GET.get("b")))
        if not (a and b) and len(history) >= 2:
            a, b = history[1], history[0]
        rows = revisions.compare(a.snapshot, b.snapshot) if a and b else []
        steps = list(article.history.select_related("user"))
        timeline = sorted(
            [("revision", r.version or 0, r.created_at, r) for r in history]
            + [("step", s.version or 0, s.at, s) for s in steps],
            key=lambda entry: (entry[2], entry[1]),
            reverse=True,
        )
        context = self.context(
            request,
            article,
            title=f"History of \u201c{article.headline}\u201d",
            history=history,
            timeline=timeline,
            left=a,
            right=b,
            rows=rows,
            may_restore=policy.may(request.user, rules.RESTORE, article),
        )
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)


class RestoreView(StoryAdminView):
    """GET asks first (saying what readers will see); POST restores, as a new version."""

    def get(self, request, pk, revision_id):
        article, revision = self.revision(request, pk, revision_id)
        context = self.context(
            request,
            article,
            title=f"Restore version {revision.version}?",
            revision=revision,
            rows=[
                row
                for row in revisions.compare(revisions.snapshot(article), revision.snapshot)
                if row.changed
            ],
        )
        return TemplateResponse(request, "admin/articles/article/restore_confirm.html", context)

    def revision(self, request, pk, revision_id):
        article = self.story(request, pk)
        if not policy.may(request.user, rules.RESTORE, article):
            raise PermissionDenied
        return article, get_object_or_404(Revision, pk=revision_id, article=article)

    def post(self, request, pk, revision_id):
        article, revision = self.revision(request, pk, revision_id)
        history = reverse("admin:articles_article_revisions", args=[article.pk])
        try:
            restored = revisions.restore(
                revision, request.user, _int(request.POST.get("version")) or 0
            )
        except revisions.StaleVersion:
            messages.error(request, "The story changed since you opened its history: look again.")
            return redirect(history)
        except ValidationError as exc:
            messages.error(request, f"Not restored: {' '.join(exc.messages)}")
            return redirect(history)
        article.refresh_from_db()
        message = f"Restored version {revision.version} as version {restored.version}."
        if article.is_live:
            message += " The live page changed: readers see the restored text now."
        messages.success(request, message)
        return redirect(change_url(article))


class ShareLinksView(StoryAdminView):
    """Make or revoke a share link: an outsider's view of this one draft."""

    def post(self, request, pk):
        article = self.story(request, pk)
        if not policy.may(request.user, rules.SHARE, article):
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
