from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("section/<slug:slug>/", views.SectionView.as_view(), name="section"),
    # Tag slugs keep non-ASCII letters ("zürich"), which the slug converter refuses.
    path("tag/<str:slug>/", views.TagView.as_view(), name="tag"),
    path(
        "<slug:section>/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
]
