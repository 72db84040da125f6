"""Comparing two revisions side by side: words removed and added, ids named, work bounded."""

import difflib
import html
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from articles.body import MAX_BLOCKS, html_to_text
from articles.models import Article, Photo

# What a revision tracks, in the order the comparison shows it.
TRACKED_FIELDS = (
    ("headline", "Headline"),
    ("dek", "Summary"),
    ("section", "Section"),
    ("tags", "Tags"),
    ("bylines", "Bylines"),
    ("lead_photo", "Lead photo"),
    ("related", "Related headlines"),
    ("quotes", "Quotes"),
    ("photos", "Photos in the body"),
    ("dateline", "Dateline"),
    ("unpublish_at", "Unpublish at"),
    ("body", "Body"),
)


@dataclass
class Row:
    """One line of a side-by-side comparison."""

    label: str
    old: SafeString
    new: SafeString
    changed: bool


# Word diffs cost about len(old) x len(new) words: one compare may spend this much (about
# 75 ms), after which changed blocks are shown whole, struck out and inserted.
WORD_DIFF_BUDGET = 4_000_000


class _Budget:
    def __init__(self, cells: int):
        self.cells = cells

    def spend(self, cells: int) -> bool:
        if cells > self.cells:
            return False
        self.cells -= cells
        return True


def compare(old: dict, new: dict, budget: int = WORD_DIFF_BUDGET) -> list[Row]:
    """Side-by-side rows for two snapshots; the body is aligned block by block.

    Related headlines, quotes and photos are named (their text, the story a link goes to, the
    speaker, whether a quote was confirmed), never shown as ids: two queries at most, for the
    link targets' headlines and the photos' captions. The work is bounded
    (``WORD_DIFF_BUDGET``, and the body's own limits in ``articles.body``) whatever the
    snapshots hold, so no compare can stall a worker.
    """
    spend = _Budget(budget)
    names = _Names(old, new)
    rows = []
    for key, label in TRACKED_FIELDS:
        if key == "body":
            continue
        a, b = names.field(key, old.get(key)), names.field(key, new.get(key))
        rows.append(Row(label, *_word_diff(a, b, spend), changed=a != b))
    a_blocks = [names.block(block, old) for block in _blocks(old)]
    b_blocks = [names.block(block, new) for block in _blocks(new)]
    matcher = difflib.SequenceMatcher(a=a_blocks, b=b_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for n in range(max(i2 - i1, j2 - j1)):
            a = a_blocks[i1 + n] if i1 + n < i2 else ""
            b = b_blocks[j1 + n] if j1 + n < j2 else ""
            label = f"Body \u00b6{(j1 + n + 1) if j1 + n < j2 else (i1 + n + 1)}"
            rows.append(Row(label, *_word_diff(a, b, spend), changed=op != "equal"))
    return rows


def _blocks(snapshot: dict) -> list:
    body = snapshot.get("body")
    return body[: MAX_BLOCKS * 2] if isinstance(body, list) else []


def _rows(snapshot: dict, key: str) -> list:
    rows = snapshot.get(key)
    return (
        [r for r in rows[: MAX_BLOCKS * 2] if isinstance(r, list)] if isinstance(rows, list) else []
    )


class _Names:
    """What the ids in two snapshots stand for, looked up once for both."""

    def __init__(self, *snapshots: dict):
        targets, photos = set(), set()
        for data in snapshots:
            targets.update(r[1] for r in _rows(data, "related") if len(r) > 1 and _is_id(r[1]))
            photos.update(p for p in (data.get("photos") or [])[: MAX_BLOCKS * 2] if _is_id(p))
        self.headlines = dict(
            Article.objects.filter(pk__in=targets).values_list("pk", "headline") if targets else []
        )
        self.photos = {p.pk: str(p) for p in Photo.objects.filter(pk__in=photos)} if photos else {}

    def related(self, row: list) -> str:
        _id, target, url, text = (row + [None] * 4)[:4]
        where = self.headlines.get(target) if target else url
        if target and where is None:
            where = "a story since deleted"
        return (
            f"\u201c{text or ''}\u201d \u2192 {where}"
            if where
            else f"\u201c{text}\u201d (not linked)"
        )

    @staticmethod
    def quote(row: list) -> str:
        _id, speaker, text, confirmed = (row + [None] * 4)[:4]
        state = "confirmed" if confirmed else "unconfirmed"
        return f"{speaker}: \u201c{text}\u201d ({state})"

    def photo(self, pk) -> str:
        return self.photos.get(pk, f"a photo since deleted (#{pk})")

    def field(self, key: str, value) -> str:
        if value in (None, "", []):
            return ""
        if key in ("section", "lead_photo"):
            return value[1]
        if key == "tags":
            return ", ".join(value)
        if key == "bylines":
            return "; ".join(f"{name} ({role})" for _pid, name, role in value)
        if key == "related":
            return "; ".join(self.related(row) for row in _rows({"r": value}, "r"))
        if key == "quotes":
            return "; ".join(self.quote(row) for row in _rows({"q": value}, "q"))
        if key == "photos":
            return ", ".join(self.photo(pk) for pk in value)
        if key == "dateline":
            return " ".join(part for part in value if part)
        return str(value)

    def block(self, block, snapshot: dict) -> str:
        if not isinstance(block, dict):
            return "[a block that cannot be read]"
        kind, pk = block.get("type"), block.get("id")
        if kind == "paragraph":
            return html_to_text(str(block.get("html", "")))
        if kind == "related":
            row = next((r for r in _rows(snapshot, "related") if r and r[0] == pk), None)
            return f"[related: {self.related(row)}]" if row else "[related: a line since deleted]"
        if kind == "quote":
            row = next((r for r in _rows(snapshot, "quotes") if r and r[0] == pk), None)
            return (
                f"[pull quote: {self.quote(row)}]" if row else "[pull quote: a quote since deleted]"
            )
        if kind == "photo":
            return f"[photo: {self.photo(pk)}]"
        return f"[{kind}]"


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _word_diff(a: str, b: str, budget: _Budget) -> tuple[SafeString, SafeString]:
    """Both texts escaped, with removed words in <del> on the left and added in <ins> right."""
    if a == b:
        return mark_safe(html.escape(a)), mark_safe(html.escape(b))
    a_words, b_words = a.split(" "), b.split(" ")
    if not budget.spend(len(a_words) * len(b_words)):
        return _whole(a, "del"), _whole(b, "ins")
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=a_words, b=b_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old = html.escape(" ".join(a_words[i1:i2]))
        new = html.escape(" ".join(b_words[j1:j2]))
        if op == "equal":
            left.append(old)
            right.append(new)
            continue
        if old:
            left.append(f"<del>{old}</del>")
        if new:
            right.append(f"<ins>{new}</ins>")
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))


def _whole(text: str, tag: str) -> SafeString:
    return mark_safe(f"<{tag}>{html.escape(text)}</{tag}>" if text else "")
