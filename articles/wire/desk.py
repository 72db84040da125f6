"""What the desk shows from the wire: updates waiting for an editor and agency advisories.

``wire_lists(stories)`` gives the dashboard its named reads (the desk's filters narrow them
too), two queries whatever the number of stories.
"""

from articles.models import Status, WireStatus, WireUpdate

LIST_SIZE = 15


def wire_lists(stories) -> dict:
    """``wire_updates``: newer agency versions of edited stories, oldest first. ``agency_flags``:
    stories the agency withheld, canceled or killed, the live ones first (the desk must act)."""
    flagged = list(
        stories.flagged_by_agency()
        .exclude(status=Status.KILLED)
        .order_by("-updated_at")[:LIST_SIZE]
    )
    return {
        "wire_updates": WireUpdate.objects.pending()
        .filter(article__in=stories.values("pk"))
        .select_related("article")
        .order_by("received_at")[:LIST_SIZE],
        "agency_alerts": [a for a in flagged if a.is_live],
        "agency_flags": [a for a in flagged if not a.is_live],
        "wire_killed": WireStatus.KILLED,
    }
