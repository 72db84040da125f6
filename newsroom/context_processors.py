from django.conf import settings


def site(request):
    """The publication's name and address, for every template."""
    return {"SITE_NAME": settings.NEWSROOM_SITE_NAME, "SITE_URL": settings.NEWSROOM_SITE_URL}
