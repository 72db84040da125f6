"""Signals sent after commit when what readers see may have changed."""

from django.dispatch import Signal

# Sent with ``article=`` after a transition or an edit to a live story commits.
story_changed = Signal()
