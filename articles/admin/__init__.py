"""The editors' admin, one module per concern; importing them registers the ModelAdmins."""

from . import parts, photos, stories, wire_import  # noqa: F401
