"""Editors' addresses outside the admin's own URL tree: previews, share links, presence."""

from django.urls import path

from articles.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.DeskView.as_view(), name="dashboard"),
    path("preview/<int:pk>/", views.PreviewView.as_view(), name="preview"),
    path("share/<str:token>/", views.SharedPreviewView.as_view(), name="share"),
    path("presence/<int:pk>/", views.presence, name="presence"),
    path("tags/", views.tag_names, name="tags"),
    path("stories/", views.story_search, name="stories"),
    path("quotes/<int:pk>/confirm/", views.confirm_quote, name="confirm-quote"),
    path("front/", views.FrontPageView.as_view(), name="front"),
]
