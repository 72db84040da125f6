"""Machine-readable addresses: feeds, sitemaps, robots.txt."""

app_name = "feeds"

urlpatterns = []
