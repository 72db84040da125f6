"""Who may change a person, and which of a person's fields: decided here, once.

* Sources and other people without a login: anyone who holds ``people.change_person``
  (reporters, editors, photo editors) may edit them.
* A staff member's person (one linked to a login) is their public author page: they may edit
  their own; others need ``people.change_staff_person`` (editors and admins).
* The login link itself (``Person.user``) decides who owns which stories, so only those who
  manage accounts (``auth.change_user``: admins) may set or change it.
"""

from django.db.models import Q, QuerySet

from people.models import Person

LOGIN_FIELD = "user"


class PersonPolicy:
    def may_change(self, user, person: Person) -> bool:
        if not _staff(user) or not user.has_perm("people.change_person"):
            return False
        if person.user_id is None or person.user_id == user.pk:
            return True
        return user.has_perm("people.change_staff_person")

    def people(self, user, queryset: QuerySet | None = None) -> QuerySet:
        """The people ``user`` may change."""
        queryset = Person.objects.all() if queryset is None else queryset
        if not _staff(user) or not user.has_perm("people.change_person"):
            return queryset.none()
        if user.has_perm("people.change_staff_person"):
            return queryset
        return queryset.filter(Q(user__isnull=True) | Q(user=user))

    def may_link_login(self, user) -> bool:
        """Whether ``user`` may set which login a person is (and so who owns which stories)."""
        return _staff(user) and user.has_perm("auth.change_user")

    def locked_fields(self, user) -> list[str]:
        """Fields of a person ``user`` may see but not change."""
        return [] if self.may_link_login(user) else [LOGIN_FIELD]


def _staff(user) -> bool:
    return user is not None and user.is_active and user.is_staff


person_policy = PersonPolicy()
