"""The admin's list of wire updates and the review page: the agency's newer version beside the
desk's text, with Merge and Dismiss (``articles.wire.updates``).

Reading follows ``articles.view_article``; merging and dismissing follow ``can_edit`` on the
story, checked again by the action classes when the form is posted.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.models import WireUpdate
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.publishing.steps import can_edit
from articles.wire.files import ImportRefused
from articles.wire.updates import DismissWireUpdate, MergeWireUpdate, compare_update


@admin.register(WireUpdate)
class WireUpdateAdmin(admin.ModelAdmin):
    list_display = ["headline", "story", "version", "state", "received_at"]
    list_filter = ["state"]
    list_select_related = ["article"]
    search_fields = ["headline", "article__headline"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return policy.may_ever(request.user, rules.VIEW)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="story")
    def story(self, update):
        url = reverse("admin:articles_article_change", args=[update.article_id])
        return format_html('<a href="{}">{}</a>', url, update.article.headline)

    def get_urls(self):
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("<int:pk>/change/", review, name="articles_wireupdate_change"),
            path("<int:pk>/review/", review, name="articles_wireupdate_review"),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        update = get_object_or_404(WireUpdate.objects.select_related("article"), pk=pk)
        if request.method == "POST":
            step = {"merge": MergeWireUpdate, "dismiss": DismissWireUpdate}.get(
                request.POST.get("step", "")
            )
            if step is None:
                raise PermissionDenied
            try:
                step(update, request.user).execute()
            except (PermissionDenied, ValidationError, ImportRefused) as exc:
                text = " ".join(getattr(exc, "messages", None) or [str(exc)])
                self.message_user(request, text, messages.ERROR)
            else:
                done = "merged into the story" if step is MergeWireUpdate else "dismissed"
                self.message_user(request, f"Wire version {update.version} {done}.")
                return redirect(reverse("admin:articles_article_change", args=[update.article_id]))
            update.refresh_from_db()
        try:
            rows = compare_update(update)
        except ImportRefused as exc:
            rows, problem = [], str(exc)
        else:
            problem = ""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Wire update: version {update.version}",
            "update": update,
            "article": update.article,
            "rows": rows,
            "problem": problem,
            "may_resolve": update.state == WireUpdate.State.PENDING
            and can_edit(request.user, update.article),
        }
        return TemplateResponse(request, "admin/articles/wire_update_review.html", context)
