"""The story form's lead photo in place: upload a new picture, or fix the chosen one's words.

Only the form layer: the picture is checked by ``articles.photos.checks.validate_image`` (the
form field's validator) and its renditions are made by ``articles.photos.renditions``.
"""

from articles.models import Article, Photo
from articles.photos.renditions import ensure_renditions


def apply_lead_photo(form, article: Article, *, may_add: bool, may_change: bool) -> list:
    """Put the form's lead-photo fields on ``article``; returns the files it stored.

    A new upload becomes the lead photo (with the caption and alt text typed beside it); without
    one, a changed alt text or caption is written to the photo already chosen.
    """
    data = form.cleaned_data
    upload = data.get("lead_photo_file")
    alt = (data.get("lead_photo_alt") or "").strip()
    caption = (data.get("lead_photo_caption") or "").strip()
    if upload and may_add:
        photo = Photo(caption=caption, alt_text=alt)
        photo.image.save(upload.name, upload, save=False)
        photo.full_clean(exclude=["image"])  # the field's validator checked the file
        photo.save()
        article.lead_photo = photo
        return [photo.image, *(r.file for r in ensure_renditions(photo))]
    photo = article.lead_photo if article.lead_photo_id else None
    words_changed = {"lead_photo_alt", "lead_photo_caption"} & set(form.changed_data)
    # A photo just chosen in the picker keeps its own words: the boxes showed the old one's.
    if photo is None or not words_changed or "lead_photo" in form.changed_data or not may_change:
        return []
    photo.alt_text, photo.caption = alt, caption
    photo.save(update_fields=["alt_text", "caption", "updated_at"])
    return []


def alt_repeats_caption(alt_text: str, caption: str) -> bool:
    """Alt text that only repeats the caption: screen readers would hear it twice."""

    def words(text: str) -> str:
        return " ".join(text.split()).casefold().rstrip(".")

    return bool(alt_text.strip()) and words(alt_text) == words(caption)
