"""Forms of the editors' admin: the story form (with its version guard) and the workflow form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from articles.body import escape_surrogates
from articles.models import Article, Correction
from articles.publishing import revisions
from articles.publishing.steps import STEPS


class BodyField(forms.JSONField):
    """The body's JSON, as the form shows it back: lone surrogates stay escapes (a refused
    body may hold them, and no page can carry them as characters)."""

    def prepare_value(self, value):
        return escape_surrogates(super().prepare_value(value))


class ArticleAdminForm(forms.ModelForm):
    """The story form. It carries the version it was opened at; a stale save is refused.

    A refused form keeps the editor's text (it re-renders bound), and the admin also keeps that
    text as an "unsaved" revision, so a conflict never loses words. The form only validates.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        field_classes = {"body": BodyField}
        fields = [
            "headline",
            "slug",
            "dek",
            "section",
            "tags",
            "lead_photo",
            "body",
            "dateline_place",
            "dateline_date",
            "dateline_agency",
            "unpublish_at",
        ]

    def __init__(self, *args, **kwargs):
        self.user = kwargs.pop("user", None)
        # Problems the save path found after validation (``ArticleAdmin.changeform_view``).
        self.refused = kwargs.pop("refused", None)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_version"].initial = self.instance.version
        self.conflict = None
        self.expected_version = self.instance.version

    def clean(self):
        cleaned = super().clean()
        unpublish_at, published_at = cleaned.get("unpublish_at"), self.instance.published_at
        if unpublish_at and published_at and unpublish_at <= published_at:
            self.add_error("unpublish_at", "The unpublish time must be after the publish time.")
        if self.instance.pk:
            self._check_version(cleaned)
        if self.refused:
            raise ValidationError(self.refused, code="refused")
        return cleaned

    def _check_version(self, cleaned):
        opened = cleaned.get("opened_version")
        # "Save mine anyway" names the version the editor has now seen.
        override = self.data.get("_overwrite_version", "")
        expected = int(override) if override.isdigit() else opened
        current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        current = current.first()
        if expected is None:
            raise ValidationError("This form does not say which version it edits; reload it.")
        if expected == current:
            self.expected_version = expected
            return
        self.conflict = self._describe_conflict(opened, current, cleaned)
        raise ValidationError(
            format_html(
                "Not saved: someone saved this story (now version {}) after you opened version "
                "{}. Changed since you opened it: {}. Your text is still in the form below and "
                "kept as an unsaved revision.",
                current,
                opened,
                ", ".join(self.conflict["changed"]) or "workflow state only",
            ),
            code="stale",
        )

    def _describe_conflict(self, opened, current, cleaned):
        """What the refused editor needs to know; the admin keeps their text as a revision
        (``ArticleAdmin.keep_refused_text``): this form only validates."""
        article = Article.objects.get(pk=self.instance.pk)
        theirs = revisions.snapshot(article)
        base = revisions.revision_at(article, opened or 0)
        latest = revisions.revision_at(article, current)
        return {
            "opened": opened,
            "current": current,
            "changed": revisions.changed_fields(base.snapshot, theirs) if base else [],
            "theirs": theirs,
            "mine": {k: cleaned[k] for k in ("headline", "dek", "body", "tags") if k in cleaned},
            "unsaved": None,
            "latest": latest,
            "by": latest.created_by if latest else None,
        }


class TransitionForm(forms.Form):
    """One workflow step from the story page; its choices are the step registry's."""

    action = forms.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()])
    at = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        label="Publish at",
    )
    note = forms.CharField(required=False, max_length=2000)
    kind = forms.ChoiceField(choices=Correction.Kind.choices, required=False)

    def step(self):
        return STEPS[self.cleaned_data["action"]]

    def clean(self):
        cleaned = super().clean()
        step = STEPS.get(cleaned.get("action"))
        if step is not None and step.asks_time and not cleaned.get("at"):
            self.add_error("at", "Give the time the story should appear.")
        return cleaned
