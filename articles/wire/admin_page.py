"""The admin's "Import wire copy" page: paste or upload agency copy, get a draft to edit.

Listed on the admin index through the ``WireImport`` proxy model; both its list and add
addresses show the import form. Access follows ``articles.add_article`` (checked again by
``ImportWireStory`` on the server when the form is posted).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.models import Section, WireImport
from articles.photos.checks import validate_image
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.wire.importer import (
    MAX_WIRE_BYTES,
    ImportRefused,
    ImportWireStory,
    Outcome,
    decode_wire_bytes,
)
from newsroom.media.writable import MediaUnwritable


class WireImportForm(forms.Form):
    text = forms.CharField(
        label="Wire copy",
        required=False,
        widget=forms.Textarea(attrs={"rows": 22, "cols": 100, "spellcheck": "false"}),
        help_text="Paste the story as the agency sent it: plain text (headline first), NITF, "
        "NewsML-G2 or ninjs.",
    )
    upload = forms.FileField(
        label="…or upload a file (.txt, .xml, .json)",
        required=False,
        allow_empty_file=True,  # refused below with the file's name, like every bad file
        help_text=f"UTF-8 text, at most {MAX_WIRE_BYTES // (1024 * 1024)} MB.",
    )
    photo = forms.ImageField(
        label="Lead photo",
        required=False,
        validators=[validate_image],
        help_text="The picture for the copy's photo line (drop it here or choose a file); "
        "without one the photo waits as metadata.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "data-photo-drop": "1"}),
    )
    alt_text = forms.CharField(
        label="Alt text",
        required=False,
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it. Not the caption: "
        "screen readers read both.",
    )
    section = forms.ModelChoiceField(queryset=Section.objects.all(), required=False)
    update = forms.BooleanField(
        label="Re-import if this copy is already a story",
        required=False,
        help_text="Replaces its body, related headlines and unconfirmed quotes; "
        "keeps confirmed quotes, the headline and other editor changes.",
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload and upload.size > MAX_WIRE_BYTES:
            # Refused by its size: the content is never read.
            raise forms.ValidationError(
                f"{upload.name}: the file is {upload.size / 1024 / 1024:.1f} MB; wire copy is "
                f"refused above {MAX_WIRE_BYTES // (1024 * 1024)} MB."
            )
        return upload

    def clean(self):
        data = super().clean()
        upload, text = data.get("upload"), (data.get("text") or "")
        if self.errors:
            return data
        if upload and text.strip():
            raise forms.ValidationError("Paste the copy or upload a file, not both.")
        try:
            if upload:
                data["copy"] = decode_wire_bytes(upload.read())
                data["source"] = upload.name
            elif text.strip():
                data["copy"] = decode_wire_bytes(text.encode("utf-8"))
                data["source"] = "The pasted copy"
            else:
                raise forms.ValidationError("Paste the wire copy or choose a file to upload.")
        except ImportRefused as exc:
            name = upload.name if upload else "The pasted copy"
            raise forms.ValidationError(f"{name}: {exc}") from None
        return data


@admin.register(WireImport)
class WireImportAdmin(admin.ModelAdmin):
    """One form, no list: importing makes an Article, edited in the Article admin."""

    form_class = WireImportForm
    template_name = "admin/articles/wire_import.html"

    def has_view_permission(self, request, obj=None):
        return policy.may_ever(request.user, rules.CREATE)

    def has_add_permission(self, request):
        return policy.may_ever(request.user, rules.CREATE)

    def has_change_permission(self, request, obj=None):
        return False

    def get_model_perms(self, request):
        # The admin index shows one link to the import form, not "View" and "Add" to it twice.
        return {"view": self.has_add_permission(request)}

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("", view, name="{}_{}_changelist".format(*info)),
            path("add/", view, name="{}_{}_add".format(*info)),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    results = ImportWireStory(
                        data["copy"],
                        request.user,
                        section=data["section"],
                        image=data["photo"],
                        update=data["update"],
                    ).execute_all()
                    if results[0].outcome != Outcome.PRESENT:
                        describe_photo(results[0].article, data["alt_text"])
            except (ImportRefused, PermissionDenied, MediaUnwritable) as exc:
                form.add_error(None, f"{form.cleaned_data['source']}: {exc}")
            else:
                for result in results:
                    level = (
                        messages.SUCCESS
                        if result.outcome in (Outcome.IMPORTED, Outcome.UPDATED)
                        else messages.WARNING
                    )
                    self.message_user(request, _message(result), level)
                first = results[0].article
                return redirect(reverse("admin:articles_article_change", args=[first.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import wire copy",
            "form": form,
            "has_view_permission": True,
        }
        return TemplateResponse(request, self.template_name, context)


def describe_photo(article, alt_text: str) -> None:
    """The editor's alt text for the imported lead photo (the wire has none of its own)."""
    alt_text = alt_text.strip()
    if alt_text and article.lead_photo_id:
        photo = article.lead_photo
        photo.alt_text = alt_text
        photo.save(update_fields=["alt_text", "updated_at"])


def _message(result) -> str:
    article = result.article
    if result.outcome == Outcome.PRESENT:
        return (
            f"This copy is already a story: \u201c{article.headline}\u201d (article {article.pk}, "
            f"{article.get_status_display().lower()}). Tick \u201cre-import\u201d to refresh it."
        )
    if result.outcome == Outcome.PENDING:
        return (
            f"\u201c{article.headline}\u201d has a newer version from the agency; the desk has "
            "edited the story, so the update waits on the desk for an editor to merge or dismiss."
        )
    quotes = article.quotes.filter(confirmed=False).count()
    verb = "Re-imported" if result.outcome == Outcome.UPDATED else "Imported"
    return (
        f"{verb} \u201c{article.headline}\u201d as a {article.get_status_display().lower()}. "
        f"{quotes} extracted quote{'s' if quotes != 1 else ''} wait for confirmation below."
    )
