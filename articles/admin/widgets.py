"""The body editor: the JSON block list as ordered rows an editor can add, move and remove.

Without JavaScript the widget is the plain JSON textarea (nothing is lost). With it,
static/desk/body-editor.js hides the textarea, shows one row per block — a django-prose-editor
for each paragraph with the quotes found in it, related headlines linked in place, a photo
picker with search, pull quotes — and writes the JSON back on every change. The server never
trusts the result: ``clean_body`` sanitises it.
"""

import json

from django import forms
from django.urls import reverse
from django.utils.html import json_script
from django_prose_editor.widgets import prose_editor_admin_media, prose_editor_media
from js_asset import Media

from articles.body import escape_surrogates

# Paragraphs hold inline copy only: links and emphasis (body.INLINE_TAGS), no headings or lists.
PARAGRAPH_EDITOR_CONFIG = {
    "types": ["Bold", "Italic", "Link", "Strike", "Subscript", "Superscript"],
    "history": True,
    "html": False,
    "typographic": True,
}


def block_choices(article) -> dict:
    """What the body editor needs besides the inlines' rows: the names of the photos the body
    shows, and where to search (stories to link, photos and speakers to pick)."""
    from articles.models import Photo

    body = article.body if article is not None and isinstance(article.body, list) else []
    photo_ids = [b.get("id") for b in body if isinstance(b, dict) and b.get("type") == "photo"]
    photo_ids = [pk for pk in photo_ids if isinstance(pk, int) and not isinstance(pk, bool)]
    photos = [[p.id, str(p)] for p in Photo.objects.filter(pk__in=photo_ids)] if photo_ids else []
    return {
        "photo": photos,
        "storiesUrl": reverse("desk:stories"),
        "autocompleteUrl": reverse("admin:autocomplete"),
        "photoAddUrl": reverse("admin:articles_photo_add") + "?_to_field=id&_popup=1",
        "paragraphConfig": PARAGRAPH_EDITOR_CONFIG,
    }


class BodyBlocksWidget(forms.Textarea):
    """A JSON textarea that body-editor.js turns into a block editor."""

    def __init__(self, article=None, attrs=None):
        self.article = article
        super().__init__(attrs={"rows": 12, "cols": 90, "data-body-editor": "1", **(attrs or {})})

    @property
    def media(self):
        return prose_editor_media(base=prose_editor_admin_media, preset="default") + Media(
            css={"all": ["desk/desk.css"]}, js=["desk/body-editor.js"]
        )

    def format_value(self, value):
        # forms.JSONField hands us text already; pretty-print it for the no-JS fallback.
        try:
            text = json.dumps(json.loads(value), indent=1, ensure_ascii=False)
        except (TypeError, ValueError):
            text = value
        # A refused body may hold lone surrogates ("\ud800"): they stay JSON escapes.
        return escape_surrogates(text) if isinstance(text, str) else text

    def render(self, name, value, attrs=None, renderer=None):
        choices_id = f"{(attrs or {}).get('id', name)}-choices"
        self.attrs["data-choices"] = choices_id
        textarea = super().render(name, value, attrs, renderer)
        return json_script(block_choices(self.article), choices_id) + textarea
