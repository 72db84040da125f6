"""Forms of the editors' admin: the story form (with its version guard) and the workflow form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from articles.body import clean_body, escape_surrogates
from articles.models import Article, Correction
from articles.photos.checks import validate_image
from articles.publishing import revisions
from articles.publishing.steps import STEPS, offered_steps
from articles.times import zone_name

# What a datetime-local input sends (with or without seconds), then the plain forms.
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]


class NewsroomDateTimeInput(forms.DateTimeInput):
    """The one date-time picker of the desk: the browser's own, in the newsroom's time zone,
    with the zone's name beside it (the value is converted to that zone before it is shown)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": 60, **(attrs or {})}, format="%Y-%m-%dT%H:%M")

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        return format_html('{} <span class="desk-zone">{}</span>', box, zone_name())


class NewsroomDateTimeField(forms.DateTimeField):
    widget = NewsroomDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATETIME_INPUT_FORMATS)
        super().__init__(**kwargs)


# Body blocks that may name a row added in the same save, and the prefix of that row's inline.
NEW_PART_PREFIXES = {"related": "related_headlines-", "quote": "quotes-"}


def block_type(block) -> str:
    return block.get("type", "") if isinstance(block, dict) else ""


class NewsroomDateInput(forms.DateInput):
    """The browser's date picker (the dateline's day)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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
    # What a workflow button pressed with this form needs (the button is ``_step``).
    step_at = NewsroomDateTimeField(
        required=False, label="Publish at", help_text="For Schedule: when readers see it."
    )
    step_note = forms.CharField(
        required=False,
        max_length=2000,
        label="Note",
        help_text="Kept in the workflow history; Kill needs one.",
    )
    step_kind = forms.ChoiceField(
        choices=Correction.Kind.choices, required=False, label="Correction or update"
    )
    # The lead photo, in place: a new picture to upload, and the alt text of the chosen one.
    lead_photo_file = forms.ImageField(
        required=False,
        label="Upload a lead photo",
        validators=[validate_image],
        help_text="Drop a picture here or choose one; it becomes the lead photo on save.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "data-photo-drop": "1"}),
    )
    lead_photo_alt = forms.CharField(
        required=False,
        max_length=300,
        label="Alt text",
        help_text="What the picture shows, for readers who cannot see it (not the caption).",
    )
    lead_photo_caption = forms.CharField(
        required=False, max_length=2000, label="Caption", widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = Article
        field_classes = {"body": BodyField, "unpublish_at": NewsroomDateTimeField}
        widgets = {"dateline_date": NewsroomDateInput}
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
        article = self.instance
        if article.pk:
            self.fields["opened_version"].initial = article.version
        if article.is_scheduled:
            self.fields["step_at"].initial = article.published_at
        photo = article.lead_photo if article.lead_photo_id else None
        if photo is not None:
            self.fields["lead_photo_alt"].initial = photo.alt_text
            self.fields["lead_photo_caption"].initial = photo.caption
        self.conflict = None
        self.expected_version = article.version

    def clean_body(self):
        """Set aside blocks that point at a part added in this same save (by its form prefix,
        ``{"type": "related", "row": "related_headlines-2"}``): the admin puts them back with
        the new row's id once it exists (``stories.place_new_blocks``)."""
        body = self.cleaned_data.get("body")
        self.new_blocks = []
        if not isinstance(body, list):
            return body
        kept, segment = [], []
        for block in body:
            row = block.get("row") if isinstance(block, dict) else None
            if block_type(block) in NEW_PART_PREFIXES and isinstance(row, str):
                if row.startswith(NEW_PART_PREFIXES[block["type"]]):
                    kept += clean_body(segment)
                    segment = []
                    self.new_blocks.append((len(kept) + len(self.new_blocks), block["type"], row))
                continue
            segment.append(block)
        return kept + clean_body(segment)

    @property
    def step(self):
        """The workflow step whose button was pressed with this form, if any."""
        return STEPS.get(self.data.get("_step", ""))

    def clean(self):
        cleaned = super().clean()
        unpublish_at, published_at = cleaned.get("unpublish_at"), self.instance.published_at
        if unpublish_at and published_at and unpublish_at <= published_at:
            self.add_error("unpublish_at", "The unpublish time must be after the publish time.")
        if self.instance.pk:
            self._check_version(cleaned)
        self._check_step(cleaned)
        if self.refused:
            raise ValidationError(self.refused, code="refused")
        return cleaned

    def _check_step(self, cleaned):
        """A pressed step must be one this user is offered, with what it asks for."""
        name = self.data.get("_step")
        if not name:
            return
        step = self.step
        if step is None or step not in offered_steps(self.user, self.instance):
            label = step.label if step else name
            raise ValidationError(f"{label} is not possible for you on this story now.")
        if step.asks_time and not cleaned.get("step_at"):
            self.add_error("step_at", "Give the time the story should appear.")
        if step.asks_note and not cleaned.get("step_note", "").strip():
            self.add_error("step_note", f"Write {step.asks_note}.")

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
    at = NewsroomDateTimeField(required=False, label="Publish at")
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
