"""The import_story and export_story management commands."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article, Photo, Rendition, Status
from articles.syndication.export import export_article, for_export
from people.models import Person
from tests import factories
from tests.support import SAMPLE, WIRE_FIXTURES, sample_text

pytestmark = pytest.mark.django_db

HARBOUR = WIRE_FIXTURES / "import_harbour_pilots.txt"
ALPINE = WIRE_FIXTURES / "import_muller_nunez.txt"


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def boss(db):
    return factories.user(username="boss", is_superuser=True)


def import_story(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_story", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_story", *map(str, args), stdout=out, stderr=err)
    assert caught.value.returncode == 1
    return str(caught.value), out.getvalue(), err.getvalue()


def test_the_sample_imports_as_a_draft_and_prints_its_export_object(boss):
    sample_text()  # skips, saying why, where the sample is absent
    out, err = import_story(SAMPLE, "--json")
    exported = json.loads(out)  # one line, one object
    assert "imported" in err
    assert exported["status"] == "draft" and exported["published_at"] is None
    assert exported["bylines"] == [{"name": "Elizabeth Shim", "role": "author"}]
    assert exported["dateline"]["place"] == "UNITED NATIONS"
    assert exported["dateline"]["agency"] == "UPI"
    assert exported["dateline"]["date"].endswith("-10-25")
    photo = exported["lead_photo"]
    assert (photo["credit"], photo["file_photo"], photo["image"]) == ("KCNA/UPI", True, None)
    assert photo["alt"] == photo["caption"]
    assert exported["body"][0]["type"] == "paragraph"
    assert exported["body"][0]["text"].startswith("International sanctions")
    assert [b["type"] for b in exported["body"]].count("related") == 3
    assert len(exported["related"]) == 3 and all(r["url"] is None for r in exported["related"])
    assert {q["speaker"] for q in exported["quotes"]} == {"Roh Hoi-chang", "Jung Kwang-il"}
    assert all(q["speaker_description"] and not q["confirmed"] for q in exported["quotes"])
    assert Article.objects.get().created_by == boss


def test_export_story_prints_the_same_object(boss):
    out, _ = import_story(HARBOUR, "--json")
    slug = json.loads(out)["slug"]
    printed = io.StringIO()
    call_command("export_story", slug, stdout=printed)
    assert json.loads(printed.getvalue()) == json.loads(out)


def test_export_object_shape_text_and_links(boss, django_assert_num_queries):
    target = factories.published("Port of Antwerp braces for diverted cargo")
    import_story(ALPINE, "--publish", "--section", "world")
    article = Article.objects.exclude(pk=target.pk).get()
    article.tags.add("water", "alps")
    article.body[0]["html"] = "Fish &amp; chips <em>and</em> more"
    Article.objects.filter(pk=article.pk).update(body=article.body)
    factories.related(article, target=target, position=5)

    with django_assert_num_queries(6):
        exported = export_article(for_export().get(pk=article.pk))

    assert set(exported) == {
        "slug", "url", "status", "headline", "dek", "section", "tags", "bylines", "dateline",
        "published_at", "lead_photo", "body", "related", "quotes",
    }  # fmt: skip
    assert exported["url"] == article.get_absolute_url()
    assert exported["status"] == "published" and exported["section"] == "world"
    assert exported["tags"] == ["alps", "water"]
    assert exported["published_at"] == article.published_at.isoformat()
    assert exported["lead_photo"] is None
    assert exported["body"][0] == {"type": "paragraph", "text": "Fish & chips and more"}
    assert exported["related"] == [{"headline": target.headline, "url": target.get_absolute_url()}]
    assert [b["name"] for b in exported["bylines"]] == [
        "Jürgen Müller",
        "Inés Núñez",
        "Sam O'Brien",
    ]


def test_export_story_refuses_an_unknown_slug(db):
    with pytest.raises(CommandError, match="no-such-story"):
        call_command("export_story", "no-such-story", stdout=io.StringIO())


def test_the_same_file_twice_says_which_article_it_is(boss):
    import_story(HARBOUR)
    article = Article.objects.get()
    out, _ = import_story(HARBOUR)
    assert "already present" in out and f"article {article.pk}" in out and article.slug in out
    assert Article.objects.count() == 1


def test_update_reimports_into_the_same_article(boss):
    import_story(HARBOUR)
    article = Article.objects.get()
    article.quotes.update(text="Edited by hand.")
    out, _ = import_story(HARBOUR, "--update")
    assert "updated" in out
    assert Article.objects.get() == article
    assert not article.quotes.filter(text="Edited by hand.").exists()


def test_publish_with_a_fileless_wire_photo_publishes_and_says_so(boss):
    out, err = import_story(HARBOUR, "--publish", "--json")
    exported = json.loads(out)
    assert "no image file" in err and "readers don't see" in err
    assert exported["status"] == "published" and exported["lead_photo"] is None
    pending = exported["body"][-1]
    assert pending["type"] == "photo" and pending["pending"] is True
    assert pending["credit"] == "Pieter Bakker/UPI"
    assert Article.objects.published().count() == 1 and Photo.objects.count() == 1


def test_publish_at_schedules_the_story(boss):
    at = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    out, _ = import_story(ALPINE, "--publish-at", at.isoformat(), "--json")
    exported = json.loads(out.splitlines()[-1])
    assert exported["status"] == "scheduled"
    assert exported["published_at"] == at.isoformat()
    assert not Article.objects.published().exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_photo_attaches_the_image_with_renditions_and_caption_as_alt(boss, tmp_path):
    image = tmp_path / "cranes.jpg"
    image.write_bytes(factories.image_file().read())
    # A real commit: the story's photo is released by the after-commit receiver.
    out, _ = import_story(HARBOUR, "--photo", image, "--publish", "--json")
    photo = Article.objects.get().lead_photo
    assert photo.image and photo.alt_text == photo.caption
    assert Rendition.objects.filter(photo=photo).exists()
    # The export names the public rendition (released once the story was out), never the original.
    widest = photo.renditions.get(spec="w1200", format="jpeg")
    assert widest.public_file and json.loads(out)["lead_photo"]["image"] == widest.url
    assert "private-media" not in out and photo.image.name.rsplit("/", 1)[-1] not in out


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(boss, tmp_path):
    fake = tmp_path / "cranes.jpg"
    fake.write_text("this is text, not a JPEG")
    message, _, _ = refused(HARBOUR, "--photo", fake)
    assert "cranes.jpg" in message and "not an image" in message and "\n" not in message
    assert not Article.objects.exists() and not Photo.objects.exists()
    assert not Person.objects.exists()


def test_photo_with_many_files_is_refused(boss, tmp_path):
    with pytest.raises(CommandError, match="one story"):
        import_story(HARBOUR, ALPINE, "--photo", tmp_path / "x.jpg")


def test_a_folder_imports_its_txt_files_and_reports_each_refusal(boss, tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "a.txt").write_bytes(HARBOUR.read_bytes())
    (folder / "b.txt").write_bytes(ALPINE.read_bytes())
    (folder / "c.txt").write_bytes(HARBOUR.read_bytes())  # the same copy again
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "latin1.txt").write_bytes("Caf\u00e9 owners protest\n\nMore.".encode("latin-1"))
    (folder / "nohead.txt").write_text("By Anna Smith\n\nNo headline at all here.")
    with (folder / "huge.txt").open("wb") as huge:
        huge.truncate(50 * 1024 * 1024)
    (folder / "notes.md").write_text("not wire copy, not a .txt file")

    message, out, err = refused(folder)

    assert Article.objects.count() == 2
    assert "Summary: 2 imported, 1 already present, 5 refused." in out
    for name, problem in [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("latin1.txt", "UTF-8"),
        ("nohead.txt", "headline"),
        ("huge.txt", "MB"),
    ]:
        line = next(line for line in err.splitlines() if name in line)
        assert problem in line
    assert "notes.md" not in out + err
    assert message == "5 of 8 files refused."


def test_a_single_bad_file_is_one_line_naming_it(boss, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    message, out, err = refused(empty)
    assert message == f"{empty}: The file is empty."
    assert out == err == ""


def test_progress_shows_only_in_a_terminal(boss):
    terminal = Terminal()
    call_command("import_story", str(HARBOUR), str(ALPINE), stdout=terminal, stderr=io.StringIO())
    assert "[1/2] import_harbour_pilots.txt" in terminal.getvalue()

    piped = io.StringIO()
    call_command("import_story", str(HARBOUR), str(ALPINE), stdout=piped, stderr=io.StringIO())
    assert "\r" not in piped.getvalue() and "[1/2]" not in piped.getvalue()
    assert "Summary: 0 imported, 2 already present, 0 refused." in piped.getvalue()


def test_section_must_exist(boss):
    factories.section("World")
    import_story(ALPINE, "--section", "world")
    assert Article.objects.get().section.slug == "world"
    with pytest.raises(CommandError, match="No section 'sport'"):
        import_story(HARBOUR, "--section", "sport")


def test_without_a_superuser_the_command_refuses(db):
    with pytest.raises(CommandError, match="--user"):
        import_story(HARBOUR)


def test_a_reporter_may_import_but_not_publish(reporter):
    with pytest.raises(CommandError, match="may not publish"):
        import_story(HARBOUR, "--user", "reporter", "--publish")
    assert not Article.objects.exists()
    import_story(HARBOUR, "--user", "reporter")
    assert Article.objects.get().status == Status.DRAFT


def test_a_user_who_may_not_add_stories_imports_nothing(db):
    factories.user("Photo editor", username="snapper")
    with pytest.raises(CommandError, match="may not import"):
        import_story(HARBOUR, "--user", "snapper")
    with pytest.raises(CommandError, match="No active user"):
        import_story(HARBOUR, "--user", "nobody")
    assert not Article.objects.exists()


def test_update_with_a_photo_brings_a_set_aside_photo_back_as_lead(boss, tmp_path):
    import_story(HARBOUR, "--publish")
    pending = Photo.objects.get()
    assert Article.objects.get().lead_photo is None
    image = tmp_path / "ships.jpg"
    image.write_bytes(factories.image_file().read())

    out, _ = import_story(HARBOUR, "--update", "--photo", image)

    article = Article.objects.get()
    assert "updated" in out
    assert article.lead_photo == pending and article.lead_photo.image
    assert not [b for b in article.body if b["type"] == "photo"]
    assert Photo.objects.count() == 1 and Rendition.objects.filter(photo=pending).exists()


def test_a_folder_of_agency_formats_imports_each_and_refuses_bad_xml(boss, tmp_path):
    formats = WIRE_FIXTURES / "formats"
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in (
        "rural-clinic.nitf.xml",
        "museum-masks.ninjs.json",
        "lighthouse-keepers.newsml.xml",
    ):
        (folder / name).write_bytes((formats / name).read_bytes())
    (folder / "laughs.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "b">]><nitf><body/></nitf>'
    )
    (folder / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"/>')

    message, out, err = refused(folder)

    assert Article.objects.count() == 3
    assert sorted(Article.objects.values_list("wire_id", flat=True)) == [
        "urn:example:upi:2024:lighthouse-keepers",
        "urn:example:upi:2024:museum-masks",
        "urn:example:upi:2024:rural-clinic",
    ]
    assert "Summary: 3 imported, 0 already present, 2 refused." in out
    assert next(line for line in err.splitlines() if "laughs.xml" in line).endswith(
        "The XML declares entities or external references; they are refused for safety."
    )
    assert "<rss> root" in next(line for line in err.splitlines() if "feed.xml" in line)
    assert message == "2 of 5 files refused."


def test_a_single_bad_xml_file_is_one_line_and_writes_nothing(boss, tmp_path):
    bad = tmp_path / "story.xml"
    bad.write_text("<nitf><body><body.head><hedline><hl1>Cut off</hl1>")
    message, out, err = refused(bad)
    assert message.startswith(f"{bad}: The XML is not well-formed")
    assert "\n" not in message and not Article.objects.exists() and not Person.objects.exists()
