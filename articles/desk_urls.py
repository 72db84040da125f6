"""Editors' addresses outside the admin's own URL tree: previews, share links, presence."""

app_name = "desk"

urlpatterns = []
