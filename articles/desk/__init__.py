"""The desk's own pages outside the admin tree: dashboard, previews, share links, presence."""
