"""Every feed a reader can discover is clean in the W3C Feed Validator (its code is read from
../shared/tools/; the test skips, saying why, where that folder is absent)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.photos.renditions import ensure_renditions
from tests import factories
from tests.support import feed_validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(db, django_capture_on_commit_callbacks):
    """Stories with and without a dek, a photo, a dateline and a quote: every shape a feed has."""
    lead = factories.photo(caption="Cranes at dusk.", credit="Wire Agency/J. Doe")
    ensure_renditions(lead)
    with_all = factories.article(
        "Port reopens after strike",
        dek="Dockworkers return after a week.",
        lead_photo=lead,
        dateline_place="ROTTERDAM",
        dateline_agency="UPI",
        paragraphs=('"We are back," a docker said -- at last.', "Second paragraph."),
    )
    with_all.tags.add("Shipping")
    speaker = factories.person("Ada Quayside")
    factories.quote(with_all, speaker=speaker, text="We are back.")
    no_dek = factories.article("Ferry timetable unchanged", paragraphs=("Ferries keep sailing.",))
    no_dek.tags.add("Shipping")
    editor = factories.user("Editor")
    # Publishing releases the lead photo's public copies once the step has committed.
    with django_capture_on_commit_callbacks(execute=True):
        for story in (with_all, no_dek):
            story.publish(by=editor, at=timezone.now() - timezone.timedelta(hours=1))
    return with_all, speaker


def discoverable_feeds(client, story, speaker) -> set[str]:
    """The feed links pages announce (<link rel="alternate">), plus the quoted feeds."""
    pages = [reverse("articles:home"), story.get_absolute_url()]
    pages += [reverse("articles:section", args=[story.section.slug])]
    pages += [reverse("articles:tag", args=[story.tags.first().slug])]
    pages += [story.bylines.first().person.get_absolute_url()]
    found = set()
    for page in pages:
        html = client.get(page).content.decode()
        for tag in re.findall(r'<link rel="alternate"[^>]+>', html):
            found.add(re.search(r'href="([^"]+)"', tag).group(1))
    for fmt in ("rss", "atom"):
        found.add(reverse(f"feeds:quoted-{fmt}", kwargs={"slug": speaker.slug}))
    return found


def test_every_discoverable_feed_is_clean_in_the_w3c_validator(client, newsroom):
    validator, compatibility = feed_validator()
    story, speaker = newsroom
    feeds = discoverable_feeds(client, story, speaker)
    assert len(feeds) >= 8
    problems = {}
    for url in sorted(feeds):
        response = client.get(url)
        assert response.status_code == 200, url
        events = validator.validateString(
            response.content.decode(), firstOccurrenceOnly=1, base="http://127.0.0.1:8000" + url
        )["loggedEvents"]
        found = [
            f"{type(e).__name__}: {e.params.get('element', '')} {e.params.get('msg', '')}"
            for e in compatibility.AA(events)
        ]
        if found:
            problems[url] = found
    assert problems == {}


def test_rss_items_carry_the_lead_image_as_an_enclosure_and_the_dateline(client, newsroom):
    story, _speaker = newsroom
    xml = client.get(reverse("feeds:latest-rss")).content.decode()
    item = xml[xml.index("Port reopens after strike") :]
    item = item[: item.index("</item>")]
    enclosure = re.search(r"<enclosure [^>]+>", item).group()
    # The public copy's absolute address (the site's media or the bucket's public copy).
    assert 'url="http' in enclosure and 'type="image/jpeg"' in enclosure
    assert "ROTTERDAM" in item and "(UPI) --" in item
