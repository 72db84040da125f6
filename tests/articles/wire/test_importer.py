"""The wire importer: WireStory -> article, people, quotes, related headlines and photo."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.body import render_blocks
from articles.models import Article, Byline, Photo, Quote, RelatedHeadline, Rendition, Status
from articles.publishing.steps import TransitionNotAllowed
from articles.syndication.export import export_article, for_export
from articles.wire.importer import (
    MAX_WIRE_BYTES,
    ImportRefused,
    ImportWireStory,
    Outcome,
    decode_wire_bytes,
    read_wire_file,
    wire_fingerprint,
)
from people.models import Person
from tests import factories
from tests.support import WIRE_FIXTURES, sample_text

pytestmark = pytest.mark.django_db

TODAY = date(2024, 10, 1)


def copy(name: str) -> str:
    return (WIRE_FIXTURES / name).read_text(encoding="utf-8")


def run(text, user, **options):
    options.setdefault("today", TODAY)
    return ImportWireStory(text, user, **options).execute()


def nothing_written():
    return not (
        Article.objects.exists()
        or Person.objects.exists()
        or Photo.objects.exists()
        or Quote.objects.exists()
        or RelatedHeadline.objects.exists()
    )


# -- the sample ---------------------------------------------------------------------------------


def test_the_sample_imports_with_every_field_right(editor):
    text = sample_text()
    result = run(text, editor)
    article = Article.objects.get()
    assert result.outcome == Outcome.IMPORTED and result.article == article

    assert article.headline == text.splitlines()[0].strip()
    assert article.status == Status.DRAFT
    assert [b.person.name for b in article.bylines.all()] == ["Elizabeth Shim"]

    photo = article.lead_photo
    assert photo.credit == "KCNA/UPI"
    assert photo.is_file_photo is True
    assert not photo.image
    assert photo.alt_text == photo.caption != ""
    assert photo.rights == "" and photo.license_url == ""  # link text, not rights

    assert (article.dateline_place, article.dateline_agency) == ("UNITED NATIONS", "UPI")
    assert (article.dateline_date.month, article.dateline_date.day) == (10, 25)
    assert article.dateline_date <= TODAY

    paragraphs = [b for b in article.body if b["type"] == "paragraph"]
    assert paragraphs[0]["html"].startswith("International sanctions")
    assert "UNITED NATIONS" not in paragraphs[0]["html"]

    # Three related headlines, each in place between the paragraphs it sat between.
    wire_related = [line[8:].strip() for line in text.splitlines() if line.startswith("RELATED ")]
    assert len(wire_related) == 3
    related_blocks = [i for i, b in enumerate(article.body) if b["type"] == "related"]
    assert len(related_blocks) == 3 and related_blocks[0] > 0
    rows = RelatedHeadline.objects.in_bulk([article.body[i]["id"] for i in related_blocks])
    assert [rows[article.body[i]["id"]].headline for i in related_blocks] == wire_related
    assert RelatedHeadline.objects.unresolved().count() == 3

    quotes = list(article.quotes.select_related("speaker"))
    assert {q.speaker.name for q in quotes} == {"Roh Hoi-chang", "Jung Kwang-il"}
    assert not any(q.confirmed for q in quotes)
    roh = Person.objects.get(name="Roh Hoi-chang")
    jung = Person.objects.get(name="Jung Kwang-il")
    assert roh.description.startswith("a former central party secretary")
    assert "activist" in jung.description
    for quote in quotes:
        assert quote.speaker_description == quote.speaker.description
        assert article.body[quote.position]["type"] == "paragraph"
        assert quote.text[:20] in article.body[quote.position]["html"].replace("&#39;", "'")
    # Only two people were quoted; the reporter is a byline, not a source.
    assert set(Person.objects.sources()) == {roh, jung}


# -- the patterns -------------------------------------------------------------------------------


def test_two_authors_photo_credit_license_and_quotes(editor):
    article = run(copy("import_harbour_pilots.txt"), editor).article

    assert [b.person.name for b in article.bylines.all()] == ["Anna de Vries", "Tomás Herrera"]
    assert [b.position for b in article.bylines.all()] == [0, 1]
    photo = article.lead_photo
    assert (photo.credit, photo.is_file_photo) == ("Pieter Bakker/UPI", False)
    assert photo.credit_line == "Photo by Pieter Bakker/UPI"
    assert article.dateline_date == date(2024, 3, 3)
    assert [b["type"] for b in article.body] == [
        "paragraph", "paragraph", "paragraph", "related",
        "paragraph", "paragraph", "related", "paragraph", "paragraph",
    ]  # fmt: skip
    assert "Latest Headlines" not in str(article.body)
    speakers = {q.speaker.name: q.speaker for q in article.quotes.select_related("speaker")}
    assert set(speakers) == {"Marit Jansen", "Ivan Petrov"}
    assert speakers["Ivan Petrov"].description == "port spokesman"


def test_license_url_comes_from_the_agency_setting(editor, settings):
    settings.NEWSROOM_WIRE_LICENSE_URLS = {"UPI": "https://licensing.example.com/upi"}
    photo = run(copy("import_harbour_pilots.txt"), editor).article.lead_photo
    assert photo.license_url == "https://licensing.example.com/upi"
    assert photo.rights == ""


def test_three_authors_with_accented_names_no_photo_and_curly_quotes(editor):
    article = run(copy("import_muller_nunez.txt"), editor).article

    names = [b.person.name for b in article.bylines.select_related("person")]
    assert names == ["Jürgen Müller", "Inés Núñez", "Sam O'Brien"]
    assert Person.objects.get(name="Inés Núñez").slug == "ines-nunez"
    assert article.lead_photo is None
    assert article.dateline_place == "ZERMATT, Switzerland"
    quotes = list(article.quotes.select_related("speaker"))
    # Curly quotes; a pronoun ("she said") and a surname ("Amherd said"); an unattributed
    # quote paragraph continuing the previous speaker.
    assert [q.speaker.name for q in quotes] == ["Lena Schäfer", "Rolf Amherd", "Rolf Amherd"]
    assert quotes[2].position == quotes[1].position + 1
    assert "\u201c" not in quotes[0].text


def test_a_related_headline_matching_a_story_links_to_it_ignoring_case_and_spacing(editor):
    target = factories.published("Port of  antwerp braces for diverted CARGO")
    article = run(copy("import_harbour_pilots.txt"), editor).article

    linked, unlinked = article.related_headlines.order_by("position")
    assert linked.target == target
    assert unlinked.target is None and not unlinked.is_resolved
    assert list(RelatedHeadline.objects.unresolved()) == [unlinked]


def test_a_published_story_wins_over_a_draft_and_killed_stories_never_match(editor):
    factories.article("Port of Antwerp braces for diverted cargo")
    live = factories.published("Port of Antwerp braces for diverted cargo")
    article = run(copy("import_harbour_pilots.txt"), editor).article
    assert article.related_headlines.get(position=0).target == live

    live.kill(by=editor, note="Wrong port.")
    Article.objects.exclude(pk=live.pk).delete()
    article = run(copy("import_muller_nunez.txt") + "\nRELATED " + live.headline, editor).article
    assert article.related_headlines.get().target is None


def test_the_same_source_in_a_later_story_is_the_same_person(editor):
    first = run(copy("import_harbour_pilots.txt"), editor).article
    jansen = Person.objects.get(name="Marit Jansen")
    jansen.description = "head of the pilots' union (editor's wording)"
    jansen.save()

    second = run(copy("import_pilots_followup.txt"), editor).article

    assert Person.objects.filter(normalised_name="marit jansen").count() == 1
    assert Person.objects.filter(normalised_name="anna de vries").count() == 1
    quote = second.quotes.get()
    assert quote.speaker == jansen
    assert quote.speaker_description == "chairwoman of the pilots' union"  # this story's words
    jansen.refresh_from_db()
    assert jansen.description == "head of the pilots' union (editor's wording)"
    # Its related headline names the first story with other case and spacing.
    assert second.related_headlines.get().target == first


def test_an_empty_description_is_filled_but_never_replaced(editor):
    factories.person("marit  JANSEN")  # case and spacing differ: still the same person
    run(copy("import_harbour_pilots.txt"), editor)
    jansen = Person.objects.get(normalised_name="marit jansen")
    assert jansen.description.startswith("chairwoman")
    assert jansen.quotes.count() == 2


# -- again, and --update ----------------------------------------------------------------------


def test_the_same_text_twice_is_one_article(editor):
    text = copy("import_harbour_pilots.txt")
    first = run(text, editor)
    again = run(
        text.replace("\n", "\r\n").replace("Harbour pilots in", "Harbour  pilots in"), editor
    )

    assert again.outcome == Outcome.PRESENT
    assert again.article == first.article
    assert f"article {first.article.pk}" in again.describe()
    assert Article.objects.count() == 1 and Quote.objects.count() == 3
    assert wire_fingerprint(text) == first.article.source_fingerprint


def test_update_keeps_confirmed_quotes_and_editor_work(editor):
    text = copy("import_harbour_pilots.txt")
    article = run(text, editor).article
    confirmed = article.quotes.get(speaker__name="Ivan Petrov")
    confirmed.confirmed = True
    confirmed.save()
    unresolved = article.related_headlines.get(position=1)
    elsewhere = factories.published("Another story entirely")
    unresolved.target = elsewhere
    unresolved.save()
    article.headline = "Pilots strike in Rotterdam"
    article.save()
    article.lead_photo.alt_text = "Ships at anchor under a grey sky."
    article.lead_photo.save()
    version = Article.objects.get(pk=article.pk).version

    result = run(text, editor, update=True)

    article.refresh_from_db()
    assert result.outcome == Outcome.UPDATED and result.article == article
    assert article.headline == "Pilots strike in Rotterdam"
    assert article.version == version + 1
    assert article.quotes.filter(confirmed=True).get() == confirmed
    assert article.quotes.count() == 3  # the confirmed quote is not filed twice
    assert article.related_headlines.get(position=1).target == elsewhere
    related_ids = {b["id"] for b in article.body if b["type"] == "related"}
    assert related_ids == set(article.related_headlines.values_list("id", flat=True))
    assert article.lead_photo.alt_text == "Ships at anchor under a grey sky."
    assert Photo.objects.count() == 1 and Article.objects.count() == 2
    notes = list(article.revisions.order_by("version").values_list("note", flat=True))
    assert notes == ["Imported from wire copy.", "Re-imported from wire copy."]


def test_updating_a_live_story_tells_caches_after_commit(
    editor, django_capture_on_commit_callbacks
):
    from articles.signals import story_changed

    text = copy("import_muller_nunez.txt")
    run(text, editor, publish=True)
    heard = []

    def listen(sender, article, **kwargs):
        heard.append(article.pk)

    story_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            article = run(text, editor, update=True).article
    finally:
        story_changed.disconnect(listen)
    assert article.pk in heard


# -- publishing -------------------------------------------------------------------------------


def test_publishing_sets_a_fileless_wire_photo_aside_where_readers_cannot_see_it(editor):
    result = run(copy("import_harbour_pilots.txt"), editor, publish=True)
    article = Article.objects.with_page_relations().get()

    assert article.is_live
    assert article.lead_photo is None
    pending = result.pending_photo
    assert Photo.objects.get() == pending
    assert article.body[-1] == {"type": "photo", "id": pending.pk}
    assert "no image file" in result.describe()
    assert "photo" not in {block.type for block in render_blocks(article)}


def test_publishing_with_an_image_makes_renditions_and_uses_the_caption_as_alt(editor):
    image = factories.image_file()
    run(copy("import_harbour_pilots.txt"), editor, publish=True, image=image)
    article = Article.objects.get()
    assert article.is_live
    assert article.lead_photo.image and article.lead_photo.alt_text == article.lead_photo.caption
    assert Rendition.objects.filter(photo=article.lead_photo).count() > 0


def test_publish_at_schedules(editor):
    at = timezone.now() + timedelta(hours=3)
    article = run(copy("import_muller_nunez.txt"), editor, publish_at=at).article
    assert article.is_scheduled
    assert export_article(for_export().get(pk=article.pk))["status"] == "scheduled"


def test_a_reporter_may_import_but_not_publish(reporter):
    with pytest.raises(TransitionNotAllowed):
        run(copy("import_harbour_pilots.txt"), reporter, publish=True)
    assert nothing_written()
    article = run(copy("import_harbour_pilots.txt"), reporter).article
    assert article.status == Status.DRAFT and article.created_by == reporter


def test_a_user_without_add_permission_imports_nothing(db):
    with pytest.raises(TransitionNotAllowed):
        run(copy("import_harbour_pilots.txt"), factories.user("Photo editor"))
    assert nothing_written()


def test_a_reporter_may_not_update_someone_elses_story(editor, reporter):
    text = copy("import_harbour_pilots.txt")
    run(text, editor)
    with pytest.raises(TransitionNotAllowed):
        run(text, reporter, update=True)


def test_unconfirmed_quotes_do_not_list_the_story_on_the_source_page(editor):
    article = run(copy("import_harbour_pilots.txt"), editor, publish=True).article
    petrov = Person.objects.get(name="Ivan Petrov")
    assert list(Article.objects.published().quoting(petrov)) == []

    article.quotes.filter(speaker=petrov).update(confirmed=True)
    assert list(Article.objects.published().quoting(petrov)) == [article]


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 owners protest\n\nThey did.".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, problem):
    with pytest.raises(ImportRefused, match=problem):
        decode_wire_bytes(data)


def test_a_huge_file_is_refused_without_being_read(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("the file was opened"))
    with pytest.raises(ImportRefused, match="50.0 MB"):
        read_wire_file(huge)


def test_a_file_just_under_the_limit_is_read(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("Headline here\n\n" + "word " * ((MAX_WIRE_BYTES - 100) // 5))
    assert read_wire_file(path).startswith("Headline here")


def test_text_without_a_headline_writes_nothing(editor):
    with pytest.raises(ImportRefused, match="headline"):
        run("By Anna de Vries\n\nSome words follow here.", editor)
    assert nothing_written()


def test_an_image_that_is_not_an_image_writes_nothing(editor):
    from articles.wire.importer import wire_image

    fake = Path(factories.__file__).with_name("not-an-image.jpg")
    try:
        fake.write_bytes(b"GIF89a but not really")
        with pytest.raises(ImportRefused, match="not-an-image.jpg"):
            wire_image(fake)
    finally:
        fake.unlink()
    assert nothing_written()


def test_a_failure_half_way_leaves_no_half_made_story_or_file(editor, monkeypatch, settings):
    def boom(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Quote.objects, "bulk_create", boom)
    image = SimpleUploadedFile("lead.jpg", factories.image_file().read())
    with pytest.raises(RuntimeError):
        run(copy("import_harbour_pilots.txt"), editor, image=image)
    assert nothing_written() and not Byline.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_a_failed_publish_rolls_the_whole_story_back(editor):
    text = "A story with no byline\n\nSAN JOSE, May 2 (UPI) -- Words without a writer."
    with pytest.raises(ImportRefused, match="byline"):
        run(text, editor, publish=True)
    assert nothing_written()


# -- cost ---------------------------------------------------------------------------------------


def test_import_cost_does_not_grow_with_the_number_of_paragraphs(
    editor, django_assert_max_num_queries
):
    short = copy("import_muller_nunez.txt")
    longer = short.replace(
        "Schäfer said the towns", "Extra copy.\n\n" * 40 + "Schäfer said the towns"
    )
    with django_assert_max_num_queries(40):
        run(short, editor)
    with django_assert_max_num_queries(40):
        run(longer.replace("Alpine towns", "Mountain towns"), editor)


def test_the_benchmark_batch_imports_every_generated_story(db):
    from bench.import_bench import run as run_benchmark

    result = run_benchmark(stories=12)
    assert result["imported"] == 12 and result["stories_per_sec"] > 0
    assert Quote.objects.count() >= 12  # the generated copy carries quotes the parser finds
    # Writers and sources recur across stories without duplicate people.
    names = list(Person.objects.values_list("normalised_name", flat=True))
    assert len(names) == len(set(names))


def test_importing_a_draft_with_a_photo_links_it_once_and_releases_nothing(
    editor, django_capture_on_commit_callbacks
):
    """A draft releases no photo (only public and scheduled stories do), so an import neither
    asks which photos to release nor opens a transaction to withdraw one; the story's photo is
    linked once, not re-read when the body is written again."""
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.import_bench import render_text, story_parts

    parts = story_parts(7, random.Random(1))
    parts["photo"] = ("Delegates meet over the port plan.", "Photo by")
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run(render_text(parts), editor)
    story = Article.objects.get()
    assert story.status == Status.DRAFT and story.lead_photo_id
    assert list(story.photos.values_list("pk", flat=True)) == [story.lead_photo_id]
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("articles_rendition" in s for s in sql)
    # One insert links it (a new story has no links to look up); the body's rewrite knows
    # what the insert linked.
    assert sum("articles_article_photos" in s for s in sql) == 1
    # The lead photo is a foreign key (no query to see that it exists), and the revision takes
    # the quotes just filed (none read back).
    assert not any(s.startswith('SELECT "articles_photo"') for s in sql)
    assert not any(s.startswith('SELECT "articles_quote"') for s in sql)
    assert len(story.revisions.get().snapshot["quotes"]) == story.quotes.count() == 2
