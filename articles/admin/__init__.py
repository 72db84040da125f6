"""The editors' admin, one module per concern; importing them registers the ModelAdmins.

The wire desk's import page registers itself from ``articles.wire.admin_page``.
"""

from articles.admin import partners, parts, photos, stories  # noqa: F401
from articles.wire import admin_page  # noqa: F401
