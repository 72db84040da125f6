"""Test settings: fast hashing, media in a throwaway folder."""

import tempfile
from pathlib import Path

from newsroom.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-media-"))
NEWSROOM_PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="newsroom-test-private-media-"))

# The HTTP cache layer (articles/edgecache/) is off for tests that count queries or re-read a
# page after a change without running on-commit hooks; tests/articles/test_caching.py turns it on.
NEWSROOM_HTTP_CACHE = False
