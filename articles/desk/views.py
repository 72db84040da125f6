"""Desk pages: the editors' dashboard, previews of unpublished stories, share links, presence.

Previews reuse the reader's own article view and template, so a draft looks exactly as it will
when published; they are private, uncacheable and ``noindex``.
"""

import time

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic.detail import BaseDetailView

from articles.desk.filters import DeskFilter
from articles.models import Article, Byline, Quote, RelatedHeadline, ShareLink
from articles.publishing import policy as rules
from articles.publishing.front import ArrangeFront
from articles.publishing.policy import policy
from articles.publishing.quotes import ConfirmQuotes
from articles.search.words import search_terms, with_words
from articles.times import newsroom_time
from articles.views.article import ArticleDetailView
from articles.wire.desk import wire_lists

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
        if not policy.may_ever(self.request.user, rules.VIEW):
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
        if not policy.may_ever(request.user, rules.VIEW):
            raise PermissionDenied
        desk_filter = DeskFilter(request.GET or None, queryset=Article.objects.all())
        stories = desk_filter.qs if desk_filter.is_bound else Article.objects.all()
        user = request.user
        confirmable = policy.stories(user, rules.CONFIRM_QUOTES)
        listed = stories.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("person"))
        )
        # Asked per quote or headline (few), never "story in (the whole archive)".
        in_view = Exists(stories.filter(pk=OuterRef("article_id")))
        context = {
            **admin.site.each_context(request),
            "title": "Desk",
            "filter": desk_filter,
            "my_drafts": policy.own_stories(user, listed.drafts()).order_by("-updated_at")[
                :LIST_SIZE
            ],
            "ready": listed.ready_for_edit().order_by("updated_at")[:LIST_SIZE],
            "scheduled": listed.scheduled().order_by("published_at")[:LIST_SIZE],
            "recent": listed.published().latest_first()[:LIST_SIZE],
            "unresolved": RelatedHeadline.objects.unresolved()
            .filter(in_view)
            .select_related("article")
            .order_by("-article__updated_at")[:LIST_SIZE],
            "unconfirmed": Quote.objects.filter(in_view, confirmed=False)
            .annotate(may_confirm=Exists(confirmable.filter(pk=OuterRef("article_id"))))
            .select_related("speaker", "article")
            .order_by("-created_at")[:LIST_SIZE],
            **wire_lists(stories),
            "may_arrange_front": policy.may_ever(user, rules.FRONT),
        }
        return TemplateResponse(request, "desk/dashboard.html", context)


# -- linking a related headline: published stories by words -------------------------------

STORY_SEARCH_SIZE = 10


@staff_member_required
def story_search(request):
    """Published stories holding every word of ``q`` (the one word search), newest first: what
    a related headline may link to. Answers JSON for the body editor."""
    if not policy.may_ever(request.user, rules.VIEW):
        raise PermissionDenied
    terms = search_terms(request.GET.get("q", ""))
    stories = []
    if terms:
        found = (
            with_words(Article.objects.published(), terms)
            .select_related("section")
            .latest_first()[:STORY_SEARCH_SIZE]
        )
        stories = [
            {
                "id": story.pk,
                "headline": story.headline,
                "section": story.section.name if story.section_id else "",
                "published": newsroom_time(story.published_at, with_weekday=False),
            }
            for story in found
        ]
    return no_store(JsonResponse({"stories": stories}))


# -- one-click quote confirmation ----------------------------------------------------------


@require_POST
@staff_member_required
def confirm_quote(request, pk):
    """Confirm one quote from the desk (the policy's ``confirm_quotes`` decides)."""
    quote = get_object_or_404(Quote.objects.select_related("article", "speaker"), pk=pk)
    confirmed, _skipped = ConfirmQuotes([quote], request.user).execute()
    if not confirmed:
        raise PermissionDenied
    messages.success(request, f"Confirmed: {quote.speaker.name}, \u201c{quote.text[:60]}\u201d.")
    return redirect(_back_to_desk(request))


def _back_to_desk(request) -> str:
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return reverse("desk:dashboard")


# -- the front page, as editors arrange it --------------------------------------------------

FRONT_CANDIDATES = 30


@method_decorator(staff_member_required, name="dispatch")
class FrontPageView(View):
    """Pin live stories to the front (the first leads) and order them; no JavaScript needed:
    every button posts the whole new order."""

    def dispatch(self, request, *args, **kwargs):
        if not policy.may_ever(request.user, rules.FRONT):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        live = Article.objects.published().select_related("section")
        pinned = list(live.pinned_to_front())
        order = [story.pk for story in pinned]
        picks = []
        for n, story in enumerate(pinned):
            picks.append(
                {
                    "story": story,
                    "up": _moved(order, n, -1),
                    "down": _moved(order, n, 1),
                    "remove": [pk for pk in order if pk != story.pk],
                }
            )
        candidates = [
            {"story": story, "lead": [story.pk, *order], "add": [*order, story.pk]}
            for story in live.exclude(pk__in=order).latest_first()[:FRONT_CANDIDATES]
        ]
        context = {
            **admin.site.each_context(request),
            "title": "Front page",
            "picks": picks,
            "candidates": candidates,
        }
        return TemplateResponse(request, "desk/front.html", context)

    def post(self, request):
        order = [int(pk) for pk in request.POST.get("order", "").split(",") if pk.isdigit()]
        try:
            ArrangeFront(order, request.user).execute()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The front page is arranged.")
        return redirect(reverse("desk:front"))


def _moved(order: list[int], index: int, step: int) -> list[int] | None:
    target = index + step
    if not 0 <= target < len(order):
        return None
    moved = list(order)
    moved[index], moved[target] = moved[target], moved[index]
    return moved
