"""The editors' admin, one module per concern; importing them registers the ModelAdmins."""

from . import stories  # noqa: F401
