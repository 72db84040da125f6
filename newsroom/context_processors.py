from django.conf import settings

from newsroom.site import site_url


def site(request):
    """The publication's name and address, and the masthead's sections, for every template.

    The sections are a lazy queryset: pages that show no masthead (the admin) run no query,
    and a view that already loaded them passes its own ``nav_sections``.
    """
    from articles.models import Section

    return {
        "SITE_NAME": settings.NEWSROOM_SITE_NAME,
        "SITE_URL": site_url(),
        "nav_sections": Section.objects.all(),
    }
