"""Template helpers for the desk and the admin: times in the newsroom's zone."""

from django import template
from django.utils.html import format_html

from articles.times import machine_time, newsroom_time, zone_name

register = template.Library()


@register.simple_tag
def desk_time(value, weekday=True):
    """``<time datetime="…">Tue Dec 1, 2026, 08:28 UTC</time>``, or a dash for no time."""
    if not value:
        return "\u2014"
    return format_html(
        '<time datetime="{}">{}</time>', machine_time(value), newsroom_time(value, weekday)
    )


@register.simple_tag
def newsroom_zone():
    """The zone's name, shown beside every time input."""
    return zone_name()
