"""Creating a staff login: a role, and the byline person linked or created, in one form."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db
ADD = reverse("admin:auth_user_add")


def post_new_user(client, **extra):
    from django.contrib.auth.models import Group

    data = {
        "username": "rita",
        "usable_password": "true",
        "password1": "a-long-pass-phrase-7",
        "password2": "a-long-pass-phrase-7",
        "first_name": "Rita",
        "last_name": "Okoro",
        "role": Group.objects.get(name="Reporter").pk,
        **extra,
    }
    return client.post(ADD, data)


def test_an_admin_creates_a_reporter_with_a_new_byline_person(client):
    client.force_login(factories.user("Admin"))
    page = client.get(ADD).content.decode()
    assert 'name="role"' in page and 'name="person"' in page
    assert post_new_user(client).status_code == 302
    rita = get_user_model().objects.get(username="rita")
    assert rita.is_staff and [g.name for g in rita.groups.all()] == ["Reporter"]
    assert Person.objects.get(user=rita).name == "Rita Okoro"


def test_an_admin_links_an_existing_person(client):
    writer = factories.person("Rita Okoro")
    client.force_login(factories.user("Admin"))
    post_new_user(client, person=writer.pk)
    writer.refresh_from_db()
    assert writer.user.username == "rita"
    assert Person.objects.count() == 1


def test_who_may_not_link_logins_gets_no_person_field(client):
    # A user who may add users but not change them (so not link logins): the field is left out,
    # and a forged value is ignored.
    from django.contrib.auth.models import Permission

    clerk = factories.user()
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["add_user", "view_user"]))
    writer = factories.person("Rita Okoro")
    client.force_login(clerk)
    assert 'name="person"' not in client.get(ADD).content.decode()
    post_new_user(client, person=writer.pk)
    writer.refresh_from_db()
    assert writer.user is None
    assert not Person.objects.filter(user__username="rita").exists()
