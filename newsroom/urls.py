from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


admin.site.site_header = f"{settings.NEWSROOM_SITE_NAME} — desk"
admin.site.site_title = "Newsroom desk"

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("desk/", include("articles.desk.urls")),
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
