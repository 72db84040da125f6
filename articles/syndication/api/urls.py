"""``/api/v1/``: the content API, its OpenAPI schema and its browsable documentation."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from articles.syndication.api import partner_feed, views
from articles.syndication.api.docs import SwaggerView

app_name = "api"

urlpatterns = [
    path("stories/", views.StoryList.as_view(), name="story-list"),
    path("stories/<int:pk>/", views.StoryDetail.as_view(), name="story-detail"),
    path("stories/<int:pk>/ninjs", views.StoryNinjs.as_view(), name="story-ninjs"),
    path("stories/by-slug/<slug:slug>/", views.StoryBySlug.as_view(), name="story-by-slug"),
    path("partner-feed/", partner_feed.PartnerFeed.as_view(), name="partner-feed"),
    path("sections/", views.SectionList.as_view(), name="section-list"),
    path("sections/<slug:slug>/", views.SectionDetail.as_view(), name="section-detail"),
    path("tags/", views.TagList.as_view(), name="tag-list"),
    # Tag slugs keep non-ASCII letters ("zürich"), as on the reader's site.
    path("tags/<str:slug>/", views.TagDetail.as_view(), name="tag-detail"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<slug:slug>/", views.PersonDetail.as_view(), name="person-detail"),
    path("photos/", views.PhotoList.as_view(), name="photo-list"),
    path("photos/<int:pk>/", views.PhotoDetail.as_view(), name="photo-detail"),
    # JSON only (one representation per URL, so shared caches cannot mix YAML and JSON).
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
]
