"""The wire-style dateline that opens a story: ``GENEVA, Nov. 27 (UPI) --``."""

from django.utils import timezone
from django.utils.dateformat import format as format_date


def dateline_text(article, with_agency: bool = True) -> str:
    """Place in capitals, AP-style date ("Nov. 27", "June 5", "Sept. 3"), agency, then ``--``.

    The date falls back to the publication day when the desk left it empty. Returns "" when the
    story has no dateline place. The result is plain text: templates escape it.
    """
    if not article.dateline_place.strip():
        return ""
    day = article.dateline_date
    if day is None and article.published_at:
        day = timezone.localtime(article.published_at).date()
    text = article.dateline_place.strip().upper()
    if day is not None:
        # Django's "N" is the Associated Press month style the wires use.
        text += ", " + format_date(day, "N j")
    if not with_agency:
        return text
    if article.dateline_agency.strip():
        text += f" ({article.dateline_agency.strip()})"
    return text + " --"
