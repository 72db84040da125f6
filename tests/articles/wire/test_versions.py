"""Agency versions, statuses and embargoes through the importer, for every format that has them.

A newer version updates its story; untouched by the desk it replaces the text, edited by the
desk it waits as a WireUpdate that an editor merges or dismisses. Withheld, canceled and killed
flag the story and delete nothing. An embargo holds publishing and scheduling.
"""

import datetime
import json
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.body import paragraph
from articles.models import Article, Quote, Status, WireStatus, WireUpdate
from articles.publishing import revisions
from articles.syndication.export import export_article, for_export
from articles.wire.importer import ImportRefused, ImportWireStory, Outcome
from articles.wire.updates import DismissWireUpdate, MergeWireUpdate, compare_update
from tests.support import REPO

pytestmark = pytest.mark.django_db

FORMATS_DIR = REPO / "tests" / "fixtures" / "wire" / "formats"
TODAY = date(2024, 12, 1)
AGENCY_FORMATS = ["nitf.xml", "newsml.xml", "ninjs.json"]


def copy(name: str) -> str:
    return (FORMATS_DIR / name).read_text(encoding="utf-8")


def run(text, user, **options):
    options.setdefault("today", TODAY)
    return ImportWireStory(text, user, **options).execute()


# -- rewriting a fixture as the agency's next version, per format ------------------------------


def next_version(text: str, kind: str, version: int, *, new_paragraph: str = "") -> str:
    """The same story as the agency would re-send it: version ``version``, a paragraph added."""
    if kind == "nitf.xml":
        text = re.sub(r'(<du-key[^>]*?)version="\d+"', rf'\1version="{version}"', text)
        if new_paragraph:
            text = text.replace("</body.content>", f"<p>{new_paragraph}</p></body.content>")
    elif kind == "newsml.xml":
        text = re.sub(
            r'(guid="urn:example:upi:2024:[a-z-]+") version="\d+"', rf'\1 version="{version}"', text
        )
        if new_paragraph:
            text = text.replace("</body>", f"<p>{new_paragraph}</p></body>", 1)
    else:
        data = json.loads(text)
        data["version"] = str(version)
        if new_paragraph:
            body = data["bodies"][0]
            sep = "\n\n" if "plain" in body.get("contentType", body.get("contenttype", "")) else ""
            body["value"] += sep + (new_paragraph if sep else f"<p>{new_paragraph}</p>")
        text = json.dumps(data)
    return text


def with_status(text: str, kind: str, status: str, version: int) -> str:
    text = next_version(text, kind, version)
    if kind == "nitf.xml":
        if status == "killed":
            return text.replace("</docdata>", '<ed-msg msg-type="kill" info="Legal."/></docdata>')
        text = re.sub(r'<docdata( management-status="\w+")?>', "<docdata>", text)
        return text.replace("<docdata>", f'<docdata management-status="{status}">')
    if kind == "newsml.xml":
        if status == "killed":
            return text.replace("</itemMeta>", '<signal qcode="sig:kill"/></itemMeta>', 1)
        return text.replace("stat:usable", f"stat:{status}", 1)
    data = json.loads(text)
    key = "pubStatus" if "pubStatus" in data else "pubstatus"
    data[key] = "canceled" if status == "killed" else status
    return json.dumps(data)


# -- identity and versions ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", AGENCY_FORMATS)
def test_an_untouched_story_takes_the_newer_version_as_a_new_revision(editor, kind):
    first = run(copy(f"rural-clinic.{kind}"), editor).article
    assert (first.wire_id, first.wire_version) == ("urn:example:upi:2024:rural-clinic", 2)
    newer = next_version(
        copy(f"rural-clinic.{kind}"), kind, 3, new_paragraph="The clinic opens at dawn daily."
    )

    result = run(newer, editor)

    assert result.outcome == Outcome.UPDATED and result.article.pk == first.pk
    article = Article.objects.get()
    assert article.wire_version == 3
    assert article.body_text.endswith("The clinic opens at dawn daily.")
    assert article.revisions.first().note == "Wire version 3 replaced the text."
    assert article.version == first.version + 1
    # The same version again is nothing new.
    assert run(newer, editor).outcome == Outcome.PRESENT
    # An older one changes nothing either.
    assert run(copy(f"rural-clinic.{kind}"), editor).outcome == Outcome.PRESENT
    assert Article.objects.get().wire_version == 3


@pytest.mark.parametrize("kind", AGENCY_FORMATS)
def test_an_edited_story_keeps_the_update_waiting_and_an_editor_merges_it(editor, kind):
    article = run(copy(f"rural-clinic.{kind}"), editor).article
    article.headline = "Clinic reopens north of Kumasi"
    article.body = [*article.body, paragraph("A paragraph the desk wrote.")]
    article.save()
    revisions.record(article, editor, note="desk edit")
    quote = article.quotes.get(speaker__name="Kwame Asante")
    quote.confirmed = True
    quote.save()
    gone = article.quotes.get(speaker__name="Grace Okafor")
    gone.confirmed = True
    gone.save()

    text = next_version(
        copy(f"rural-clinic.{kind}"), kind, 3, new_paragraph="The clinic opens at dawn daily."
    ).replace("Women were giving birth", "Mothers were giving birth")
    result = run(text, editor)

    assert result.outcome == Outcome.PENDING
    article.refresh_from_db()
    assert article.headline == "Clinic reopens north of Kumasi"  # the desk's work is untouched
    assert "A paragraph the desk wrote." in article.body_text
    update = WireUpdate.objects.get()
    assert (update.article, update.version, update.state) == (article, 3, WireUpdate.State.PENDING)
    rows = {row.label: row for row in compare_update(update)}
    assert rows["Headline"].changed
    assert "north of Kumasi" in rows["Headline"].old
    assert any("dawn daily" in row.new and row.changed for row in rows.values())

    MergeWireUpdate(update, editor).execute()

    article.refresh_from_db()
    update.refresh_from_db()
    assert update.state == WireUpdate.State.MERGED and update.resolved_by == editor
    assert article.headline == "Rural clinic reopens after two-year closure"
    assert "dawn daily" in article.body_text and "desk wrote" not in article.body_text
    assert article.revisions.first().note == "Merged wire version 3."
    # Confirmations that still match survive; one whose words changed goes with them.
    assert Quote.objects.get(pk=quote.pk).confirmed
    assert not Quote.objects.filter(pk=gone.pk).exists()
    mothers = article.quotes.get(text__startswith="Mothers")
    assert (mothers.speaker.name, mothers.confirmed) == ("Grace Okafor", False)
    # The desk's version is in the history, to compare and restore.
    assert article.revisions.filter(note="desk edit").exists()


def test_dismissing_keeps_the_desk_text_and_a_newer_update_supersedes(editor):
    kind = "newsml.xml"
    article = run(copy(f"rural-clinic.{kind}"), editor).article
    article.body = [*article.body, paragraph("The desk's own line.")]
    article.save()
    run(next_version(copy(f"rural-clinic.{kind}"), kind, 3, new_paragraph="Third."), editor)
    run(next_version(copy(f"rural-clinic.{kind}"), kind, 4, new_paragraph="Fourth."), editor)
    states = dict(WireUpdate.objects.values_list("version", "state"))
    assert states == {3: WireUpdate.State.SUPERSEDED, 4: WireUpdate.State.PENDING}

    DismissWireUpdate(WireUpdate.objects.get(version=4), editor).execute()

    article.refresh_from_db()
    assert "The desk's own line." in article.body_text and "Fourth." not in article.body_text
    with pytest.raises(ValidationError, match="already dismissed"):
        MergeWireUpdate(WireUpdate.objects.get(version=4), editor).execute()


def test_a_reporter_may_not_merge_an_editors_story(editor, reporter):
    article = run(copy("rural-clinic.nitf.xml"), editor).article
    article.body = [*article.body, paragraph("Edited.")]
    article.save()
    run(next_version(copy("rural-clinic.nitf.xml"), "nitf.xml", 3, new_paragraph="New."), editor)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        MergeWireUpdate(WireUpdate.objects.get(), reporter).execute()
    assert WireUpdate.objects.get().state == WireUpdate.State.PENDING


def test_plain_text_has_no_agency_id_and_keeps_the_fingerprint(editor):
    article = run(copy("rural-clinic.txt"), editor).article
    assert article.wire_id == "" and len(article.source_fingerprint) == 64
    assert run(copy("rural-clinic.txt"), editor).outcome == Outcome.PRESENT


# -- statuses and kills ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", AGENCY_FORMATS)
@pytest.mark.parametrize("status", ["withheld", "canceled", "killed"])
def test_agency_advisories_flag_the_story_and_delete_nothing(editor, kind, status):
    # ninjs has no kill: its nearest word is canceled.
    ninjs_kill = kind == "ninjs.json" and status == "killed"
    status_read = WireStatus.CANCELED if ninjs_kill else status
    article = run(copy(f"rural-clinic.{kind}"), editor).article
    article.publish(by=editor)

    result = run(with_status(copy(f"rural-clinic.{kind}"), kind, status, 3), editor)

    article.refresh_from_db()
    assert article.wire_status == status_read
    assert article.status == Status.PUBLISHED and article.is_live  # never unpublished by itself
    assert any("IT IS LIVE" in note for note in result.notes)
    assert Article.objects.count() == 1 and article.quotes.exists()


def test_a_kill_of_a_live_story_is_on_the_desk_prominently(client, editor):
    article = run(copy("rural-clinic.nitf.xml"), editor).article
    article.publish(by=editor)
    run(with_status(copy("rural-clinic.nitf.xml"), "nitf.xml", "killed", 3), editor)
    client.force_login(editor)
    page = client.get("/desk/").content.decode()
    alert = page[page.index('role="alert"') :][:600]
    assert "killed a LIVE story" in alert and article.headline in alert
    assert "Legal." in alert


def test_an_advisory_for_an_unknown_story_is_refused_and_writes_nothing(editor):
    text = json.dumps({"uri": "urn:x:unknown", "pubstatus": "canceled", "headline": "Gone"})
    with pytest.raises(ImportRefused, match="no story with its id"):
        run(text, editor)
    assert not Article.objects.exists()


# -- embargoes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", AGENCY_FORMATS)
def test_an_embargoed_story_cannot_be_published_or_scheduled_before_its_time(editor, kind):
    article = run(copy(f"museum-masks.{kind}"), editor).article
    embargo = datetime.datetime(2024, 11, 4, 5, 0, tzinfo=datetime.UTC)
    assert article.embargoed_until == embargo
    # Move the embargo into the future, as a live desk would see it (and set the file-less
    # wire photo aside, so the embargo is the only thing in the way).
    ahead = timezone.now() + timedelta(hours=3)
    Article.objects.filter(pk=article.pk).update(embargoed_until=ahead, lead_photo=None)
    article.refresh_from_db()
    assert article.is_embargoed
    assert [p for p in article.publish_problems() if "embargo" in p] == article.publish_problems()
    assert article.publish_problems(at=ahead + timedelta(minutes=1)) == []

    with pytest.raises(ValidationError, match="embargo"):
        article.publish(by=editor)
    with pytest.raises(ValidationError, match="embargo"):
        article.publish(by=editor, at=ahead - timedelta(minutes=1))
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    article.publish(by=editor, at=ahead + timedelta(minutes=1))  # scheduling after it is fine
    article.refresh_from_db()
    assert article.is_scheduled


def test_publishing_an_embargoed_import_is_refused_and_nothing_is_written(editor):
    text = copy("museum-masks.ninjs.json").replace(
        "2024-11-04T06:00:00+01:00", (timezone.now() + timedelta(days=1)).isoformat()
    )
    with pytest.raises(ImportRefused, match="embargo"):
        run(text, editor, publish=True)
    assert not Article.objects.exists()


def test_the_desk_shows_the_embargo_and_filters_by_urgency_and_subject(client, editor):
    masks = run(copy("museum-masks.nitf.xml"), editor).article
    Article.objects.filter(pk=masks.pk).update(embargoed_until=timezone.now() + timedelta(hours=2))
    clinic = run(copy("rural-clinic.newsml.xml"), editor).article
    client.force_login(editor)

    page = client.get("/desk/", {"status": "draft"}).content.decode()
    assert "Embargo until" in page

    urgent = client.get("/desk/", {"urgency": "4"}).context["filter"].qs
    assert list(urgent) == [masks]  # urgency 4 and more urgent; the clinic is 5
    health = client.get("/desk/", {"subject": "Health"}).context["filter"].qs
    assert list(health) == [clinic]
    assert ("Museums", "Museums") in client.get("/desk/").context["filter"].form.fields[
        "subject"
    ].choices


# -- one import path, the same export --------------------------------------------------------


@pytest.mark.parametrize("stem", sorted(p.stem for p in FORMATS_DIR.glob("*.txt")))
def test_every_format_imports_to_the_same_export_as_the_plain_text(editor, stem):
    from django.db import transaction

    exports = {}
    for kind in ["txt", *AGENCY_FORMATS]:
        with transaction.atomic():
            article = run(copy(f"{stem}.{kind}"), editor).article
            exports[kind] = export_article(for_export().get(pk=article.pk))
            transaction.set_rollback(True)
    plain = exports.pop("txt")
    assert plain["quotes"] and plain["bylines"] and plain["body"]
    for kind, exported in exports.items():
        for key in plain:
            assert exported[key] == plain[key], f"{kind}: {key}"


# -- the desk and the review page --------------------------------------------------------------


def waiting_update(editor):
    article = run(copy("rural-clinic.nitf.xml"), editor).article
    article.headline = "Clinic <reopens> north of Kumasi"
    article.save()
    text = next_version(copy("rural-clinic.nitf.xml"), "nitf.xml", 3, new_paragraph="Added.")
    run(text, editor)
    return article, WireUpdate.objects.get()


def test_the_desk_lists_the_update_and_the_review_page_merges_it(client, editor):
    article, update = waiting_update(editor)
    client.force_login(editor)
    desk = client.get("/desk/").content.decode()
    assert "Wire updates available" in desk
    review = f"/admin/articles/wireupdate/{update.pk}/review/"
    assert review in desk

    page = client.get(review).content.decode()
    assert "Wire update available" in page
    assert "Clinic &lt;reopens&gt;" in page  # the desk's text, escaped
    assert "<ins>Added.</ins>" in page

    response = client.post(review, {"step": "merge"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == WireUpdate.State.MERGED
    assert "Added." in Article.objects.get().body_text


def test_a_reporter_sees_the_review_but_cannot_resolve_it(client, editor, reporter):
    _, update = waiting_update(editor)
    client.force_login(reporter)
    review = f"/admin/articles/wireupdate/{update.pk}/review/"
    response = client.get(review)
    assert response.status_code == 200 and "Wire update available" in response.content.decode()
    assert "Merge: use the agency" not in response.content.decode()
    client.post(review, {"step": "dismiss"})
    update.refresh_from_db()
    assert update.state == WireUpdate.State.PENDING


def test_a_slug_taken_between_lookup_and_write_is_numbered_on_the_retry(editor, monkeypatch):
    """Another desk saves a story with the same headline just after the lookup: the insert
    meets the unique slug, the import looks again and numbers its slug; nothing is lost."""
    from articles.wire import importer
    from tests import factories

    real = importer.existing_story
    calls = []

    def lookup_then_someone_else_writes(story, fingerprint, slug=""):
        found = real(story, fingerprint, slug)
        if not calls:
            factories.article(headline=story.headline)  # the other writer wins the slug
        calls.append(slug)
        return found

    monkeypatch.setattr(importer, "existing_story", lookup_then_someone_else_writes)
    result = run(copy("rural-clinic.nitf.xml"), editor)

    assert result.outcome == Outcome.IMPORTED and len(calls) >= 2
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == [
        "rural-clinic-reopens-after-two-year-closure",
        "rural-clinic-reopens-after-two-year-closure-2",
    ]
