"""The GIN index behind PostgreSQL reader search (articles/search/fulltext.py); nothing on SQLite.

Not part of the model state on purpose: SQLite has no tsvector, and the index is an
implementation detail of one backend. The expression is built by ``story_vector()``, the same
function the query uses, so the two stay identical.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from articles.search.fulltext import INDEX_NAME, story_vector


def _index():
    return GinIndex(story_vector(), name=INDEX_NAME)


def add_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), _index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), _index())


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0006_desk_revisions_share_links"),
    ]

    operations = [
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
