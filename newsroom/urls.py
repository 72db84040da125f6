from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from newsroom.media.views import private_file


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} — desk"
admin.site.site_title = "Newsroom desk"

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("-/", include("newsroom.monitoring.urls")),
    path("desk/", include("articles.desk.urls")),
    path("api/v1/", include("articles.syndication.api.urls")),
    path("", include("articles.syndication.urls")),
    path("people/", include("people.urls")),
    # Private media by signed, expiring address (the local-disk setup; S3 presigns its own).
    path("private-media/<str:token>/<str:filename>", private_file, name="private-media"),
    path("", include("articles.urls")),
]

# The public media folder (released renditions only), when it is local: by the dev server, or
# by gunicorn when trying production locally (`make serve-prod`). S3 and CDNs serve their own.
_local_media = not settings.NEWSROOM_S3_BUCKET and not settings.MEDIA_URL.startswith("http")
if settings.DEBUG and _local_media:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif getattr(settings, "NEWSROOM_SERVE_MEDIA", False) and _local_media:
    # Trying production locally (`make serve-prod`): a real deployment serves media elsewhere.
    from django.urls import re_path
    from django.views.static import serve

    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    ]
