"""The parts of a story edited on its page: bylines, related headlines, quotes, corrections.

Each says where the one-screen story form shows it (``panel``): "main" under the body, or
"fold" in a panel folded shut until it is needed.
"""

from django import forms
from django.contrib import admin

from articles.models import Byline, Correction, Quote, RelatedHeadline
from articles.publishing import policy as rules
from articles.publishing.policy import policy
from articles.publishing.steps import can_edit


class StoryPartInline:
    """Inlines follow the story: editable exactly when the story is editable by this user."""

    panel = "fold"

    def _story_editable(self, request, obj):
        return obj is None or can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._story_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._story_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._story_editable(request, obj)


class BylineForm(forms.ModelForm):
    """A byline row; the one a new story starts with (the writer's own) counts as filled in."""

    class Meta:
        model = Byline
        fields = ["person", "role", "position"]

    def has_changed(self):
        offered = self.instance.pk is None and bool(self.initial.get("person"))
        return super().has_changed() or offered


class BylineInline(StoryPartInline, admin.TabularInline):
    model = Byline
    form = BylineForm
    panel = "main"
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new story opens with its writer's own byline, when their login has a person.
        return 1 if obj is None and own_person(request.user) else 0


def own_person(user):
    """The person linked to ``user``'s login, if any."""
    from people.models import Person

    return Person.objects.filter(user=user).first() if user.is_authenticated else None


class QuoteForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = ["speaker", "confirmed", "text", "speaker_description", "position"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class QuoteInline(StoryPartInline, admin.StackedInline):
    model = Quote
    form = QuoteForm
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = [("speaker", "confirmed"), "text", ("speaker_description", "position")]

    def get_readonly_fields(self, request, obj=None):
        # Confirming is its own rule in the policy (today the same as editing the story).
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not policy.may(request.user, rules.CONFIRM_QUOTES, obj):
            fields.append("confirmed")
        return fields


class RelatedHeadlineInline(StoryPartInline, admin.TabularInline):
    model = RelatedHeadline
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "url", "headline", "position"]


class CorrectionInline(admin.TabularInline):
    """Corrections are added with the "Add correction" workflow button (an action), not here."""

    model = Correction
    panel = "fold"
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "note", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
