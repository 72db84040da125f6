import pytest
from django.urls import reverse

from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def test_slugs_are_ascii_and_unique():
    assert factories.person("Marta Núñez").slug == "marta-nunez"
    assert factories.person("Marta Nunez").slug == "marta-nunez-2"
    assert factories.person("김민지").slug == "person"
    assert factories.person("Иван Петров").slug == "person-2"


def test_names_match_ignoring_case_and_spacing_but_not_accents():
    mueller = factories.person("Jonas Müller")
    assert list(Person.objects.named("  jonas   MÜLLER ")) == [mueller]
    assert not Person.objects.named("Jonas Muller").exists()


def test_people_with_non_latin_names_have_working_pages(client, editor):
    speaker = factories.person("김민지")
    story = factories.published("A story quoting a source", by=editor)
    factories.quote(story, speaker=speaker)
    assert client.get(speaker.get_absolute_url()).status_code == 200
    assert client.get(reverse("people:source", args=[speaker.slug])).status_code == 200


def test_contact_notes_never_reach_the_public(client, editor):
    secret = "Reach her on the private line after six"
    source = factories.person("Dana Source", contact_notes=secret, description="a harbour pilot")
    writer = factories.person("Wes Writer", contact_notes=secret)
    story = factories.article("Pilots warn of fog delays", authors=0)
    story.bylines.create(person=writer)
    factories.quote(story, speaker=source)
    story.publish(by=editor)
    story.refresh_from_db()
    pages = [
        source.get_absolute_url(),
        reverse("people:source", args=[source.slug]),
        writer.get_absolute_url(),
        story.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        f"/feeds/people/{writer.slug}/rss/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert secret not in response.content.decode(), url
