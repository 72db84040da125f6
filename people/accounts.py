"""Staff accounts in the admin: a new login gets a role and its byline person in one form.

Django's own user pages, with the add form extended: the role is one of the newsroom's groups
(migration ``articles.0002_roles``) and the login is linked to a person (an existing one
without a login, or a new one named after the user). Which login is which person decides who
owns which stories, so only users ``people.policy`` lets link logins see or set the link.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.db import transaction

from people.models import Person
from people.policy import person_policy

ROLES = ["Reporter", "Editor", "Photo editor", "Admin"]


class StaffCreationForm(AdminUserCreationForm):
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    role = forms.ModelChoiceField(
        queryset=Group.objects.filter(name__in=ROLES).order_by("name"),
        help_text="What this person may do: reporters write and submit, editors publish.",
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.filter(user__isnull=True),
        required=False,
        label="Byline person",
        help_text="The person their bylines name, if they already have stories. "
        "Leave empty to create one with their name.",
    )

    class Meta(AdminUserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "last_name", "email"]


class NewsroomUserAdmin(UserAdmin):
    add_form = StaffCreationForm
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        ("Who", {"fields": ("first_name", "last_name", "email", "role", "person")}),
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and not person_policy.may_link_login(request.user):
            return [
                (name, {**opts, "fields": [f for f in opts["fields"] if f != "person"]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        with transaction.atomic():
            obj.is_staff = True
            super().save_model(request, obj, form, change)
            obj.groups.set([form.cleaned_data["role"]])
            if person_policy.may_link_login(request.user):
                link_person(obj, form.cleaned_data.get("person"))


def link_person(user, person: Person | None) -> Person:
    """Link ``user``'s login to ``person``, or to a new person named after them."""
    if person is None:
        name = user.get_full_name() or user.get_username()
        person = Person(name=name)
    person.user = user
    person.save()
    return person


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), NewsroomUserAdmin)
