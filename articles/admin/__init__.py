"""The editors' admin, one module per concern; importing them registers the ModelAdmins.

The wire desk's import page and wire-update review register themselves from ``articles.wire``.
"""

from articles.admin import partners, parts, photos, purges, stories  # noqa: F401
from articles.wire import admin_page, admin_updates  # noqa: F401
