"""Desk pages: the editors' dashboard, previews of unpublished stories, share links, presence.

Previews reuse the reader's own article view and template, so a draft looks exactly as it will
when published; they are private, uncacheable and ``noindex``.
"""

import time

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic.detail import BaseDetailView

from articles.desk.filters import DeskFilter
from articles.models import Article, Byline, Quote, RelatedHeadline, ShareLink
from articles.views.article import ArticleDetailView

LIST_SIZE = 15
PRESENCE_TTL = 60  # seconds: a closed tab drops out within a minute (pings come every 20 s)
PRESENCE_FRESH = 45


def no_store(response):
    """Previews must never be cached or indexed, whatever serves them."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


class PreviewBase(ArticleDetailView):
    """The reader's article page for any story, with a preview banner."""

    template_name = "desk/preview.html"

    def get_queryset(self):
        return Article.objects.with_page_relations()

    def story(self):
        raise NotImplementedError

    def get_object(self, queryset=None):
        article = self.story()
        if article.published_at is None:
            # Shown as if published now, the way readers will first see it.
            article.published_at = timezone.now()
        return article

    def get(self, request, *args, **kwargs):
        return no_store(BaseDetailView.get(self, request, *args, **kwargs))


@method_decorator(staff_member_required, name="dispatch")
class PreviewView(PreviewBase):
    """Any story, for staff who may view stories."""

    def story(self):
        if not self.request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview="staff", **kwargs)


class SharedPreviewView(PreviewBase):
    """One story for whoever holds a usable share link: nothing else is reachable from it."""

    def story(self):
        link = ShareLink.objects.from_url_token(self.kwargs["token"])
        if link is None or not link.is_usable:
            raise Http404("This share link is not valid (it may have expired or been revoked).")
        self.link = link
        return get_object_or_404(self.get_queryset(), pk=link.article_id)

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            response = TemplateResponse(request, "desk/share_gone.html", status=404)
            return no_store(response)

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview="share", share_link=self.link, **kwargs)


# -- presence ---------------------------------------------------------------------------


def presence_key(article_id: int) -> str:
    return f"desk:presence:{article_id}"


@require_POST
@staff_member_required
def presence(request, pk):
    """Note that this user has the story open; answer with the others who do.

    Kept in the shared cache (Redis in production) with an expiry, never in process memory.
    The read-modify-write may lose a ping when two arrive at once; the next ping repairs it.
    """
    if not Article.objects.filter(pk=pk).exists():
        raise Http404
    now = time.time()
    key = presence_key(pk)
    present = {
        uid: entry
        for uid, entry in (cache.get(key) or {}).items()
        if now - entry["seen"] < PRESENCE_FRESH
    }
    name = request.user.get_full_name() or request.user.get_username()
    present[str(request.user.pk)] = {"name": name, "seen": now}
    cache.set(key, present, PRESENCE_TTL)
    others = [
        {"name": entry["name"]} for uid, entry in present.items() if uid != str(request.user.pk)
    ]
    return no_store(JsonResponse({"others": others}))


# -- tag autocomplete -------------------------------------------------------------------


@staff_member_required
def tag_names(request):
    """Existing tags starting with ``q``, for the story form's tag field (new ones are typed)."""
    from taggit.models import Tag

    words = request.GET.get("q", "").strip()
    names = []
    if words:
        names = list(
            Tag.objects.filter(name__istartswith=words)
            .order_by("name")
            .values_list("name", flat=True)[:10]
        )
    return no_store(JsonResponse({"tags": names}))


# -- the dashboard ----------------------------------------------------------------------


@method_decorator(staff_member_required, name="dispatch")
class DeskView(View):
    """The editors' dashboard: every list narrowed by the same filters, a fixed query count."""

    def get(self, request):
        if not request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        desk_filter = DeskFilter(request.GET or None, queryset=Article.objects.all())
        stories = desk_filter.qs if desk_filter.is_bound else Article.objects.all()
        user = request.user
        listed = stories.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person"))
        )
        mine = Q(created_by=user) | Q(bylines__person__user=user)
        # Asked per quote or headline (few), never "story in (the whole archive)".
        in_view = Exists(stories.filter(pk=OuterRef("article_id")))
        context = {
            **admin.site.each_context(request),
            "title": "Desk",
            "filter": desk_filter,
            "my_drafts": listed.drafts()
            .filter(mine)
            .distinct()
            .order_by("-updated_at")[:LIST_SIZE],
            "ready": listed.ready_for_edit().order_by("updated_at")[:LIST_SIZE],
            "scheduled": listed.scheduled().order_by("published_at")[:LIST_SIZE],
            "recent": listed.published().latest_first()[:LIST_SIZE],
            "unresolved": RelatedHeadline.objects.unresolved()
            .filter(in_view)
            .select_related("article")
            .order_by("-article__updated_at")[:LIST_SIZE],
            "unconfirmed": Quote.objects.filter(in_view, confirmed=False)
            .select_related("speaker", "article")
            .order_by("-created_at")[:LIST_SIZE],
        }
        return TemplateResponse(request, "desk/dashboard.html", context)
