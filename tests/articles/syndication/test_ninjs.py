"""ninjs 2.2 items and tombstones validate against the official IPTC schema (vendored)."""

import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import Article
from articles.syndication import ninjs
from tests import factories
from tests.reader_fixtures import HOSTILE, rich_story

pytestmark = pytest.mark.django_db

SCHEMA_PATH = (
    Path(__file__).resolve().parents[3]
    / "articles"
    / "syndication"
    / "schemas"
    / "ninjs-schema_2.2.json"
)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_valid(validator, item):
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_the_vendored_schema_is_the_official_one_with_its_license():
    schema = json.loads(SCHEMA_PATH.read_text())
    assert schema["$id"] == "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json#"
    assert "MIT License" in (SCHEMA_PATH.parent / "LICENSE-ninjs").read_text()


def test_a_rich_story_is_a_valid_ninjs_item(client, validator):
    story = rich_story(3, headline=HOSTILE)
    item = client.get(f"/api/v1/stories/{story.pk}/ninjs").json()
    assert_valid(validator, item)
    assert item["uri"].startswith("tag:127.0.0.1,") and item["uri"].endswith(f":story/{story.pk}")
    assert item["headlines"] == [{"role": "main", "value": HOSTILE}]
    assert item["pubstatus"] == "usable" and item["type"] == "text"
    assert item["standard"]["version"] == "2.2"
    html = item["bodies"][0]["value"]
    assert "<script" not in html and "Quoted words number 2." in html and "<figure>" in html
    assert item["by"].startswith("By ") and item["located"] == "geneva"
    rels = {p["rel"] for p in item["people"]}
    assert rels == {"author", "quoted"}
    assert {s["rel"] for s in item["subjects"]} == {"section", "tag"}
    names = [a["name"] for a in item["associations"]]
    assert names[0] == "featureimage" and "picture1" in names
    lead = item["associations"][0]
    assert lead["rightsinfo"] == {"linkedrights": "https://example.com/lic"}
    assert any(r.get("contenttype") == "image/webp" for r in lead["renditions"])
    assert "erred" in item["ednote"]


def test_a_plain_story_and_tombstones_are_valid(validator, editor):
    story = factories.published("Plain", dek="")
    story = Article.objects.with_page_relations().get(pk=story.pk)
    assert_valid(validator, ninjs.story_item(story))
    story.kill(by=editor, note="Legal.")
    story.refresh_from_db()
    grave = ninjs.tombstone_of(story, timezone.now())
    assert grave["pubstatus"] == "canceled"
    assert_valid(validator, grave)


def test_export_story_prints_ninjs(validator, editor):
    story = rich_story(1)
    out = StringIO()
    call_command("export_story", story.slug, "--format", "ninjs", stdout=out)
    assert_valid(validator, json.loads(out.getvalue()))
    out = StringIO()
    call_command("export_story", story.slug, stdout=out)
    assert json.loads(out.getvalue())["slug"] == story.slug  # the export object, as before
    draft = factories.article("Not yet")
    with pytest.raises(CommandError, match="not public"):
        call_command("export_story", draft.slug, "--format", "ninjs")
