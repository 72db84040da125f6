"""The read model of story pages: a story's own parts, built when they change, read in one query.

A story page shows two kinds of things:

* the story's own parts: head tags and JSON-LD, headline, bylines, times, lead photo, body,
  corrections, tags, share links. They change only when the story, or a person, photo, tag or
  section it shows, changes. ``build.py`` renders them with the templates in
  ``templates/articles/story/`` and ``store.py`` keeps them in ``StoryPage``;
* what depends on other stories and on the moment: whether a linked story is live now, its
  headline and address, the related box, the latest headlines. ``links.py`` reads those on
  every request, in one query.

``signal_handlers.py`` is the one place that says which changes make which pages stale.
"""

from articles.readmodel.build import build_parts
from articles.readmodel.links import live_links, live_stories, related_box, story_body
from articles.readmodel.store import page_parts, parts_for, rebuild

__all__ = [
    "build_parts",
    "live_links",
    "live_stories",
    "page_parts",
    "parts_for",
    "rebuild",
    "related_box",
    "story_body",
]
