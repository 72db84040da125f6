from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline, Photo, Quote, RelatedHeadline
from tests import factories

pytestmark = pytest.mark.django_db


def test_bylines_keep_their_order():
    story = factories.article(authors=0)
    names = ["Third Writer", "First Writer", "Second Writer"]
    for position, name in zip([2, 0, 1], names, strict=True):
        Byline.objects.create(article=story, person=factories.person(name), position=position)
    assert [b.person.name for b in story.bylines.all()] == [
        "First Writer",
        "Second Writer",
        "Third Writer",
    ]


def test_same_person_twice_in_one_role_is_refused():
    story = factories.article(authors=0)
    writer = factories.person("Ada Writer")
    Byline.objects.create(article=story, person=writer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Byline.objects.create(article=story, person=writer)
    # ...but the same person may also be the photographer.
    Byline.objects.create(article=story, person=writer, role=Byline.Role.PHOTOGRAPHER)
    assert story.bylines.count() == 2


def test_slugs_are_unique_and_made_from_the_headline():
    first = factories.article("Storm hits the coast")
    second = factories.article("Storm hits the coast")
    assert first.slug == "storm-hits-the-coast"
    assert second.slug == "storm-hits-the-coast-2"
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(headline="Other", slug=first.slug)


def test_quote_always_has_a_speaker():
    story = factories.article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=story, speaker=None, text="Unattributed words.")


def test_quote_needs_words():
    story = factories.article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=story, speaker=factories.person(), text="")


def test_a_person_can_be_writer_and_source_at_once():
    both = factories.person("Dana Both")
    story = factories.article(authors=0)
    Byline.objects.create(article=story, person=both)
    other = factories.article()
    factories.quote(other, speaker=both)
    from people.models import Person

    assert both in Person.objects.writers()
    assert both in Person.objects.sources()


def test_photo_without_file_is_pending_and_blocks_publishing(editor):
    wire_photo = factories.photo(with_file=False, caption="Caption from the wire.")
    assert not wire_photo.is_publishable
    assert wire_photo in Photo.objects.pending()
    story = factories.article(lead_photo=wire_photo)
    assert "the lead photo has no image file yet" in story.publish_problems()
    with pytest.raises(ValidationError):
        story.publish(by=editor)


def test_photo_needs_alt_text_to_publish(editor):
    story = factories.article(lead_photo=factories.photo(alt_text=""))
    assert story.publish_problems() == ["the lead photo has no alt text"]
    story.lead_photo.alt_text = "Two people shaking hands."
    story.lead_photo.save()
    story.refresh_from_db()
    assert story.publish(by=editor)


def test_photo_credit_line_says_file_photo():
    assert factories.photo(credit="Agency", is_file_photo=True).credit_line == (
        "File Photo by Agency"
    )
    assert factories.photo(credit="Agency").credit_line == "Photo by Agency"


def test_photo_image_must_be_an_image():
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = Photo(caption="x", image=SimpleUploadedFile("fake.jpg", b"not an image at all"))
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "image" in exc.value.message_dict


def test_focal_point_needs_both_coordinates():
    with pytest.raises(ValidationError):
        Photo(caption="x", focal_x=0.3).full_clean()


def test_one_photo_is_reused_across_stories():
    shared = factories.photo()
    a = factories.article(lead_photo=shared)
    b = factories.article(lead_photo=shared)
    assert set(shared.lead_of.all()) == {a, b}


def test_a_new_story_links_its_photos_with_one_insert_and_the_signals_add_sends():
    """A story just inserted has no photo links yet: they are made without asking which are
    there already (add() would ask), and m2m_changed still tells receivers what was added."""
    from django.db import connection
    from django.db.models.signals import m2m_changed
    from django.test.utils import CaptureQueriesContext

    from articles.body import paragraph

    lead, inline = factories.photo(), factories.photo()
    heard = []

    def listen(sender, instance, action, reverse, pk_set, **kwargs):
        heard.append((action, instance.headline, reverse, set(pk_set)))

    m2m_changed.connect(listen, sender=Article.photos.through)
    try:
        with CaptureQueriesContext(connection) as queries:
            story = Article.objects.create(
                headline="Two photos",
                lead_photo=lead,
                body=[paragraph("Words."), {"type": "photo", "id": inline.pk}],
            )
    finally:
        m2m_changed.disconnect(listen, sender=Article.photos.through)
    both = {lead.pk, inline.pk}
    assert set(story.photos.values_list("pk", flat=True)) == both
    assert heard == [
        ("pre_add", "Two photos", False, both),
        ("post_add", "Two photos", False, both),
    ]
    links = [q["sql"] for q in queries.captured_queries if "articles_article_photos" in q["sql"]]
    assert len(links) == 1 and links[0].startswith("INSERT")


def test_related_headline_links_to_a_story_or_a_url_not_both():
    story, target = factories.article(), factories.article()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedHeadline.objects.create(article=story, target=target, url="https://example.com/")
    bad = RelatedHeadline(article=story, target=target, url="https://example.com/")
    with pytest.raises(ValidationError):
        bad.clean()


def test_unresolved_related_headlines_are_listed():
    story, target = factories.article(), factories.article()
    unresolved = factories.related(story, headline="A story we have not found yet")
    factories.related(story, target=target, position=1)
    factories.related(story, url="https://example.org/a", headline="Outside", position=2)
    assert list(RelatedHeadline.objects.unresolved()) == [unresolved]


def test_published_respects_time_and_expiry(editor):
    now = timezone.now()
    live = factories.published()
    scheduled = factories.article()
    scheduled.publish(by=editor, at=now + timedelta(hours=1))
    expired = factories.published(unpublish_at=now + timedelta(minutes=1))
    draft = factories.article()
    visible = set(Article.objects.published())
    assert live in visible and expired in visible
    assert scheduled not in visible and draft not in visible
    assert expired not in set(Article.objects.published(at=now + timedelta(minutes=2)))
    assert scheduled in set(Article.objects.published(at=now + timedelta(hours=1)))


def test_body_is_validated_and_sanitised():
    story = factories.article()
    story.body = [{"type": "paragraph", "html": "Hi <script>alert(1)</script><em>there</em>"}]
    story.full_clean()
    assert story.body == [{"type": "paragraph", "html": "Hi <em>there</em>"}]
    story.body = [{"type": "video", "id": 3}]
    with pytest.raises(ValidationError):
        story.full_clean()


def test_similar_stories_rank_by_shared_tags_and_people_never_section_alone(editor):
    world, business = factories.section("World"), factories.section("Business")
    story = factories.article(section=world)
    story.tags.add("floods", "climate")
    minister = factories.person("Ana Minister")
    factories.quote(story, speaker=minister, confirmed=False)
    two_tags = factories.published(section=business)
    two_tags.tags.add("floods", "climate")
    one_tag_same_section = factories.published(section=world)
    one_tag_same_section.tags.add("floods")
    quotes_her = factories.published(section=business, hours_ago=3)
    factories.quote(quotes_her, speaker=minister, confirmed=True)
    one_tag = factories.published(section=business, hours_ago=4)
    one_tag.tags.add("climate")
    section_only = factories.published(section=world)
    factories.published(section=business)  # nothing in common
    similar = list(Article.objects.similar_to(story))
    assert similar == [two_tags, one_tag_same_section, quotes_her, one_tag]
    assert section_only not in similar  # a neighbour in the section is not related by that
    story.publish(by=editor)
    story.refresh_from_db()
    assert story.suggested_related[:2] == [two_tags.pk, one_tag_same_section.pk]


def test_state_label_tells_scheduled_and_expired_apart(editor):
    now = timezone.now()
    scheduled = factories.article()
    scheduled.publish(by=editor, at=now + timedelta(hours=2))
    expired = factories.published(unpublish_at=now + timedelta(seconds=1))
    expired.unpublish_at = now - timedelta(seconds=1)
    assert scheduled.state_label == "Scheduled"
    assert expired.state_label == "Expired"
    assert factories.published().state_label == "Published"
    assert factories.article().state_label == "Draft"
