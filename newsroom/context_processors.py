from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, reverse

from newsroom.site import site_url


@lru_cache(maxsize=8)
def _site_links(prefix: str, urlconf) -> dict[str, str]:
    names = {
        "home": "articles:home",
        "search": "articles:search",
        "rss": "feeds:latest-rss",
        "atom": "feeds:latest-atom",
    }
    return {key: reverse(name) for key, name in names.items()}


def site(request):
    """The publication's name and address, its fixed links, and the masthead's sections.

    The links are reversed once per process (every page prints them). The sections are a lazy
    queryset: pages that show no masthead (the admin) run no query, and a view that already
    loaded them passes its own ``nav_sections``.
    """
    from articles.models import Section

    return {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": site_url(),
        "SITE_LINKS": _site_links(get_script_prefix(), settings.ROOT_URLCONF),
        "nav_sections": Section.objects.all(),
    }
