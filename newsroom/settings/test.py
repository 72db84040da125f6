"""Test settings: fast hashing, media in a throwaway folder."""

import tempfile
from pathlib import Path

from newsroom.settings.base import *  # noqa: F403
from newsroom.settings.base import task_backends

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Never created here: every test gets its own folder (tests/conftest.py), so no run leaves
# a folder behind.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "newsroom-test-media"
NEWSROOM_PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "newsroom-test-private-media"

# The HTTP cache layer (articles/edgecache/) is off for tests that count queries or re-read a
# page after a change without running on-commit hooks; tests/articles/test_caching.py turns it on.
NEWSROOM_HTTP_CACHE = False

# Tasks run in the caller, at once; tests about the worker start a real one.
TASKS = task_backends("immediate")

# The canonical address tests expect in feeds, sitemaps and pages (production sets its own).
NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
