"""Local development: SQLite, local-memory cache, debug on unless told otherwise."""

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
