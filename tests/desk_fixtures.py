"""Helpers for the desk tests: the story change form's POST data, as a browser would send it."""

import json

from django import forms
from django.urls import reverse


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def _field_data(prefix_name: str, bound) -> dict:
    value = bound.value()
    widget = bound.field.widget
    if isinstance(widget, forms.SplitDateTimeWidget) or isinstance(
        bound.field, forms.SplitDateTimeField
    ):
        parts = widget.decompress(value) if value else ["", ""]
        return {f"{prefix_name}_0": parts[0] or "", f"{prefix_name}_1": parts[1] or ""}
    if isinstance(widget, forms.CheckboxInput):
        return {prefix_name: "on"} if value else {}
    if isinstance(bound.field, forms.JSONField):
        return {prefix_name: value if isinstance(value, str) else json.dumps(value)}
    if isinstance(value, list | tuple):
        return {prefix_name: [str(v) for v in value]}
    if hasattr(bound.field, "prepare_value") and value is not None:
        value = bound.field.prepare_value(value)
    if hasattr(value, "pk"):
        value = value.pk
    return {prefix_name: "" if value is None else str(value)}


def form_data(response, **changes) -> dict:
    """Everything the change form at ``response`` would post, with ``changes`` applied."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data.update(_field_data(form.add_prefix(name), form[name]))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            bound = formset.management_form[name]
            data[bound.html_name] = bound.value()
        for sub in formset.forms:
            for name in sub.fields:
                data.update(_field_data(sub.add_prefix(name), sub[name]))
    tags = data.get("tags")
    if isinstance(tags, list):
        data["tags"] = ", ".join(tags)
    for key, value in changes.items():
        data[key] = value
    return {k: v for k, v in data.items() if v is not None}


def open_and_post(client, article, **changes):
    """GET the story's change form, then POST it back with ``changes``."""
    response = client.get(change_url(article))
    assert response.status_code == 200, response.status_code
    return client.post(change_url(article), form_data(response, **changes))


def body_json(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "html": p} for p in paragraphs])
