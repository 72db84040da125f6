from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} — desk"
admin.site.site_title = "Newsroom desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("-/", include("newsroom.monitoring.urls")),
    path("desk/", include("articles.desk.urls")),
    path("api/v1/", include("articles.syndication.api.urls")),
    path("", include("articles.syndication.urls")),
    path("people/", include("people.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "NEWSROOM_SERVE_MEDIA", False):
    # Trying production locally (`make serve-prod`): a real deployment serves media elsewhere.
    from django.urls import re_path
    from django.views.static import serve

    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
