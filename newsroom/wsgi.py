import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.production")
_django = get_wsgi_application()

# Imported after Django is set up: the front reads the settings and the cache.
from articles.edgecache.front import PageCacheFront  # noqa: E402

# Page-cache hits are answered before Django's handler runs; everything else goes to Django.
application = PageCacheFront(_django)
