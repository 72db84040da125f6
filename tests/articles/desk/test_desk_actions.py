"""The desk's one-click actions: linking search, quote confirmation, the front page's order."""

import pytest
from django.urls import reverse

from articles.models import FrontPick
from tests import factories

pytestmark = pytest.mark.django_db


def test_story_search_finds_published_stories_by_any_of_their_words(client, reporter, editor):
    found = factories.published(headline="Defector says sanctions fail to curb labour exports")
    factories.article(headline="Draft about sanctions and labour")  # not published: never offered
    client.force_login(reporter)
    url = reverse("desk:stories")
    data = client.get(url, {"q": "labour sanctions"}).json()
    assert [s["id"] for s in data["stories"]] == [found.pk]
    assert client.get(url, {"q": "exports curb"}).json()["stories"][0]["headline"] == found.headline
    assert client.get(url, {"q": "nothing-like-this"}).json() == {"stories": []}
    client.logout()
    assert client.get(url, {"q": "labour"}).status_code == 302  # to the login page


def test_the_related_picker_in_the_admin_searches_words_of_published_stories(client, editor):
    found = factories.published(headline="Harbour cranes idle after strike")
    factories.article(headline="Harbour strike draft")
    story = factories.article()
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "relatedheadline",
            "field_name": "target",
            "term": "strike cranes",
        },
    )
    assert [int(r["id"]) for r in response.json()["results"]] == [found.pk]
    assert story.pk


def test_one_click_confirmation_asks_the_policy(client, reporter, editor):
    story = factories.article(headline="Someone else's draft")
    quote = factories.quote(story, confirmed=False)
    url = reverse("desk:confirm-quote", args=[quote.pk])
    client.force_login(reporter)
    assert client.post(url).status_code == 403
    quote.refresh_from_db()
    assert not quote.confirmed
    client.force_login(editor)
    page = client.get(reverse("desk:dashboard")).content.decode()
    assert url in page
    response = client.post(url, {"next": "https://elsewhere.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:dashboard")
    quote.refresh_from_db()
    assert quote.confirmed


def test_a_reporter_sees_confirm_only_on_their_own_drafts(client, reporter):
    own = factories.article(created_by=reporter)
    other = factories.article()
    mine, theirs = factories.quote(own, confirmed=False), factories.quote(other, confirmed=False)
    client.force_login(reporter)
    page = client.get(reverse("desk:dashboard")).content.decode()
    assert reverse("desk:confirm-quote", args=[mine.pk]) in page
    assert reverse("desk:confirm-quote", args=[theirs.pk]) not in page


def test_editors_pin_and_order_the_front_page(client, editor, reporter):
    newest_with_photo = factories.published(headline="Newest, with a photo", hours_ago=1)
    newest_with_photo.lead_photo = factories.photo()
    newest_with_photo.save()
    older = factories.published(headline="An older story editors want first", hours_ago=5)
    middle = factories.published(headline="A middle story", hours_ago=3)
    draft = factories.article(headline="Still a draft")

    home = client.get(reverse("articles:home"))
    assert home.context["lead"] == newest_with_photo  # no pins: the newest with a photo

    url = reverse("desk:front")
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    assert client.post(url, {"order": str(older.pk)}).status_code == 403
    assert not FrontPick.objects.exists()

    client.force_login(editor)
    client.post(url, {"order": f"{older.pk},{middle.pk}"})
    client.logout()
    home = client.get(reverse("articles:home"))
    assert home.context["lead"] == older
    assert home.context["latest"][:2] == [middle, newest_with_photo]

    client.force_login(editor)
    response = client.post(url, {"order": f"{draft.pk}"}, follow=True)
    assert "Only live stories" in response.content.decode()
    assert list(FrontPick.objects.values_list("article_id", flat=True)) == [older.pk, middle.pk]
    page = client.get(url).content.decode()
    assert f'value="{middle.pk},{older.pk}"' in page  # the "move up" of the second pin
    client.post(url, {"order": ""})
    assert not FrontPick.objects.exists()


def test_the_front_costs_the_same_queries_with_pins(client, editor):
    from tests.support import query_count

    stories = [factories.published(hours_ago=n + 1) for n in range(4)]
    client.get(reverse("articles:home"))
    plain = query_count(lambda: client.get(reverse("articles:home")))
    FrontPick.objects.create(article=stories[2], position=1)
    FrontPick.objects.create(article=stories[3], position=2)
    assert query_count(lambda: client.get(reverse("articles:home"))) == plain
