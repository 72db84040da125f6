"""The newsroom's clock on paper: how a time is written for editors and for machines.

Every time an editor reads or types is in ``settings.NEWSROOM_TIME_ZONE`` (Django's current time
zone) and carries the zone's name; machines get ISO 8601 to the second, since HTML's
``<time datetime>`` forbids the microseconds Python would print.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as format_date


def machine_time(value: datetime | None) -> str:
    """``2026-12-01T08:28:00+00:00``: valid in ``<time datetime>``, feeds and JSON-LD."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


def zone_name(value: datetime | None = None) -> str:
    """The newsroom's zone as people read it at ``value`` (now): "UTC", "CET", "CEST"."""
    return timezone.localtime(value).tzname() or timezone.get_current_timezone_name()


def newsroom_time(value: datetime | None, with_weekday: bool = True) -> str:
    """``Tue Dec 1, 2026, 08:28 UTC``: the year and the zone always, so no time is ambiguous."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    text = format_date(local, "D M j, Y, H:i" if with_weekday else "M j, Y, H:i")
    return f"{text} {zone_name(value)}"
