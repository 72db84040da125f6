"""SQLite's word index over stories: an FTS5 table kept in step with the story table by triggers.

Not part of the model state, like PostgreSQL's GIN index (migration 0007): it exists only on
SQLite. It is made after every ``migrate`` (``post_migrate``, connected in
``ArticlesConfig.ready()``), because a migration that rebuilds the story table on SQLite drops
the table's triggers with it: when a trigger was missing, the index is filled again from the
stories. Words match as prefixes ("harb" finds "harbour"), any case, accents ignored.
"""

from django.db import connections

TABLE = "articles_article_words"
COLUMNS = ("headline", "dek", "body_text")

_NEW = ", ".join(f"new.{c}" for c in COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in COLUMNS)
_COLUMNS = ", ".join(COLUMNS)
_FORGET = f"INSERT INTO {TABLE}({TABLE}, rowid, {_COLUMNS}) VALUES ('delete', old.id, {_OLD});"
_LEARN = f"INSERT INTO {TABLE}(rowid, {_COLUMNS}) VALUES (new.id, {_NEW});"
TRIGGERS = {
    f"{TABLE}_added": f"AFTER INSERT ON articles_article BEGIN {_LEARN} END",
    f"{TABLE}_removed": f"AFTER DELETE ON articles_article BEGIN {_FORGET} END",
    f"{TABLE}_changed": (
        f"AFTER UPDATE OF {_COLUMNS} ON articles_article BEGIN {_FORGET} {_LEARN} END"
    ),
}


def ensure_index(using: str = "default", **kwargs) -> None:
    """Make the word index and its triggers where missing; fill it if a trigger was missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if "articles_article" not in connection.introspection.table_names(cursor):
            return
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_COLUMNS}, "
            "content='articles_article', content_rowid='id', "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        missing = [name for name in TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(f"CREATE TRIGGER {name} {TRIGGERS[name]}")
        if missing:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")


def match_expression(terms: list[str]) -> str:
    """An FTS5 query holding every term as a quoted word (no query syntax), the last one also
    as the start of a word, as it is typed. Only the last: a prefix of a word in every story
    makes FTS5 read all of them, where a whole word lets it skip ahead."""
    words = ['"{}"'.format(term.replace('"', " ")) for term in terms]
    return " ".join(words[:-1] + [words[-1] + "*"]) if words else ""


def matching_ids_sql() -> str:
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
