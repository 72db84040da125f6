"""Machine-readable addresses: feeds, sitemaps, robots.txt."""

from django.urls import path

from articles.syndication import feeds, sitemaps

app_name = "feeds"

urlpatterns = [
    path("feeds/rss/", feeds.StoryFeed(), name="latest-rss"),
    path("feeds/atom/", feeds.LatestAtomFeed(), name="latest-atom"),
    path("feeds/section/<slug:slug>/rss/", feeds.SectionFeed(), name="section-rss"),
    path("feeds/section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section-atom"),
    path("feeds/tag/<str:slug>/rss/", feeds.TagFeed(), name="tag-rss"),
    path("feeds/tag/<str:slug>/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("feeds/people/<slug:slug>/rss/", feeds.PersonFeed(), name="person-rss"),
    path("feeds/people/<slug:slug>/atom/", feeds.PersonAtomFeed(), name="person-atom"),
    path("feeds/people/<slug:slug>/quoted/rss/", feeds.QuotedInFeed(), name="quoted-rss"),
    path("feeds/people/<slug:slug>/quoted/atom/", feeds.QuotedInAtomFeed(), name="quoted-atom"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    # Before the generic sitemap pattern, which would otherwise take "news".
    path("sitemap-news.xml", sitemaps.news_sitemap, name="news-sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
