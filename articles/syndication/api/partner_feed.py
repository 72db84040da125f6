"""``/api/v1/partner-feed/``: ninjs items for every story that changed after a cursor.

A partner starts without a cursor (the whole log), keeps the ``cursor`` of each answer and
asks again with it; ``next`` is set while more is waiting right now. Items are full ninjs
items for public stories and tombstones (``withheld``, ``canceled``) for stories taken down.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from articles.edgecache import keys as K
from articles.syndication import change_log
from articles.syndication.api.pagination import KeysetPagination, encode_cursor
from articles.syndication.api.views import PAGE_PARAMETERS, ApiView


class PartnerFeed(ApiView):
    @extend_schema(
        parameters=PAGE_PARAMETERS,
        responses=inline_serializer(
            "PartnerFeedPage",
            {
                "next": serializers.URLField(allow_null=True),
                "cursor": serializers.CharField(allow_null=True),
                "items": serializers.ListField(child=serializers.DictField()),
            },
        ),
        description="ninjs 2.2 items (and tombstones) for stories changed after `cursor`.",
    )
    def get(self, request):
        now = timezone.now()
        pager = KeysetPagination("at", ascending=True)
        entries = pager.page(change_log.readable_entries(now), request)
        cursor = (
            encode_cursor(entries[-1].at, entries[-1].pk)
            if entries
            else request.query_params.get("cursor")
        )
        # Every story event moves "changes" (again once its entry is readable); "feeds" moves
        # with photo edits; the stories on the page name themselves (a renamed byline, say).
        shown = {entry.story_id for entry in entries}
        self.surrogate_keys = {K.CHANGES, K.FEEDS, *map(K.story, shown), *map(K.text, shown)}
        return Response(
            {
                "next": pager.next_link(),
                "cursor": cursor,
                "items": change_log.items_for(entries, now),
            }
        )
