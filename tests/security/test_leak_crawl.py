"""The leak crawl: nothing of a non-public story reaches a reader by any path.

For every state a story can be in that readers must not see (draft, ready for edit, scheduled,
killed, unpublished, expired, deleted), a story carries a distinctive word in every field and in
everything hanging off it: its slug, dek, body, dateline, tag, byline person, quoted person,
lead photo, related headline and correction. The stories that were once public are published
first and the whole site is crawled with the page cache on (so caches hold them), then they are
unpublished, killed, expired (by the clock) and deleted, and the site is crawled again: every
page, feed, sitemap, search, people and tag page, JSON-LD block, share link and conditional
(304) request must be free of every marker. The crawl follows every link it finds, so a new
surface is crawled without being listed here.
"""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles import body
from articles.models import Article, Photo, ShareLink
from articles.publishing.steps import AddCorrection
from people.models import Person
from tests import factories
from tests.support import response_body

pytestmark = pytest.mark.django_db

MARKER = "zzleak"
NEVER_PUBLIC = ("draft", "ready", "scheduled")
ONCE_PUBLIC = ("killed", "unpublished", "expired", "deleted")
CRAWL_LIMIT = 600


def marked_story(state: str, editor) -> Article:
    """A story whose every field (and every row hanging off it) carries ``zzleak<state>``."""
    word = f"{MARKER}{state}"
    photo = Photo(
        caption=f"{word}caption",
        credit=f"{word}credit",
        alt_text=f"{word}alt",
        rights=f"{word}rights",
    )
    photo.image = factories.image_file(f"{word}.jpg")
    photo.save()
    story = factories.article(
        f"Headline {word}headline",
        authors=0,
        paragraphs=(f"Body text {word}body.",),
        dek=f"Dek {word}dek",
        dateline_place=f"{word}place",
        lead_photo=photo,
        section=factories.section("World"),
    )
    writer = factories.person(f"Writer {word}writer", bio=f"{word}bio")
    story.bylines.create(person=writer)
    source = factories.person(
        f"Source {word}source", description=f"a confidential {word}description"
    )
    factories.quote(story, speaker=source, text=f"Quoted {word}quote")
    link = factories.related(story, headline=f"Related {word}related", url="https://example.org/")
    story.tags.add(f"{word}tag")
    story.body = [*story.body, {"type": "related", "id": link.pk}]
    story.save()
    return story


def publish(story, editor, **kwargs):
    story.publish(by=editor, **kwargs)
    story.refresh_from_db()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def links_in(url: str, response) -> list[str]:
    kind = response.get("Content-Type", "")
    text = response_body(response).decode("utf-8", "replace")
    if "json" in kind:  # the API: every address it names, absolute or not
        found = re.findall(r'"((?:https?://[^"/]+)?/api/v1/[^"]*)"', text)
    elif "html" in kind:
        parser = Links()
        parser.feed(text)
        found = parser.found
    else:
        found = re.findall(r"<(?:loc|link)>([^<]+)</", text)
        found += re.findall(r'<link[^>]+href="([^"]+)"', text)
    paths = []
    for link in found:
        parts = urlsplit(urljoin(url, link))
        if parts.netloc in ("", "testserver", "127.0.0.1:8000") and parts.path.startswith("/"):
            if parts.path.startswith(
                ("/static/", "/media/", "/admin/", "/desk/preview/", "/api/v1/docs/")
            ):
                continue
            paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(client, seeds) -> dict[str, object]:
    """Every reachable public address from ``seeds`` (breadth first), with its response."""
    seen, queue, responses = set(), list(seeds), {}
    while queue and len(seen) < CRAWL_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        responses[url] = response
        if response.status_code == 200:
            queue.extend(link for link in links_in(url, response) if link not in seen)
    return responses


def leaks(url: str, response) -> list[str]:
    text = response_body(response).decode("utf-8", "replace")
    if url.startswith("/api/v1/partner-feed/") and response.status_code == 200:
        # A tombstone names the address a partner must take down (it was public); nothing else.
        page = json.loads(text)
        for item in page["items"]:
            if item.get("pubstatus") in ("withheld", "canceled"):
                for name in ("altids", "uri", "slugline"):
                    item.pop(name, None)
        text = json.dumps(page)
    if url.startswith("/search/"):
        # The search page repeats the reader's own words; what must be empty is the result list.
        return ["search results"] if 'class="story-item' in text else []
    found = sorted(set(re.findall(MARKER + r"\w+", text)))
    found += [f"header {k}" for k, v in response.items() if MARKER in v]
    return found


def seeds(stories: dict[str, Article], old_urls: dict[str, str]) -> list[str]:
    urls = ["/", "/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/feeds/rss/", "/feeds/atom/"]
    urls += [old_urls[state] for state in old_urls]
    urls += [f"/api/v1/{name}/" for name in ("stories", "sections", "tags", "people", "photos")]
    urls += ["/api/v1/partner-feed/", "/api/v1/schema/"]
    for story in stories.values():
        urls += [f"/api/v1/stories/{story.pk}/", f"/api/v1/stories/{story.pk}/ninjs"]
        urls += [f"/api/v1/stories/by-slug/{story.slug}/"]
        if story.lead_photo_id:
            urls.append(f"/api/v1/photos/{story.lead_photo_id}/")
    for state in stories:
        word = f"{MARKER}{state}"
        urls += [f"/search/?q={word}{field}" for field in ("headline", "body", "dek", "quote")]
    for tag in Tag.objects.all():
        urls += [reverse("articles:tag", args=[tag.slug]), f"/feeds/tag/{tag.slug}/rss/"]
        urls.append(f"/api/v1/tags/{tag.slug}/")
    for person in Person.objects.all():
        urls += [
            person.get_absolute_url(),
            reverse("people:source", args=[person.slug]),
            f"/api/v1/people/{person.slug}/",
            f"/feeds/people/{person.slug}/rss/",
            f"/feeds/people/{person.slug}/quoted/atom/",
        ]
    return urls


@pytest.fixture
def page_cache(settings, monkeypatch):
    settings.NEWSROOM_HTTP_CACHE = True
    # The crawl is one client asking for hundreds of addresses: not what the limits are for.
    from rest_framework.throttling import SimpleRateThrottle

    rates = {"anonymous": "100000/min", "api_key": "100000/min"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def test_nothing_of_a_non_public_story_reaches_a_reader(
    client, page_cache, monkeypatch, django_capture_on_commit_callbacks
):
    editor = factories.user("Editor")
    public = factories.published("An ordinary public story", by=editor)
    factories.quote(public, text="Public words.")
    with django_capture_on_commit_callbacks(execute=True):
        stories = {state: marked_story(state, editor) for state in NEVER_PUBLIC + ONCE_PUBLIC}
        stories["ready"].submit_for_edit(by=editor)
        publish(stories["scheduled"], editor, at=timezone.now() + timedelta(hours=2))
        for state in ONCE_PUBLIC:
            publish(stories[state], editor, at=timezone.now() - timedelta(hours=1))
        # The expired story leaves by the clock alone: no event tells any cache.
        Article.objects.filter(pk=stories["expired"].pk).update(
            unpublish_at=timezone.now() + timedelta(minutes=30)
        )
        stories["expired"].refresh_from_db()
        for state in ONCE_PUBLIC:
            AddCorrection(stories[state], editor, note=f"{MARKER}{state}correction").execute()
    old_urls = {state: stories[state].get_absolute_url() for state in ONCE_PUBLIC}
    share_links = {state: ShareLink.create_for(stories[state], editor) for state in ("killed",)}

    # Readers see the once-public stories, and every cache along the way keeps them.
    warm = crawl(client, seeds(stories, old_urls))
    assert any(leaks(url, r) for url, r in warm.items()), "the markers must be findable at all"
    etags = {
        state: warm[old_urls[state]]["ETag"]
        for state in ONCE_PUBLIC
        if "ETag" in warm.get(old_urls[state], {})
    }

    with django_capture_on_commit_callbacks(execute=True):
        stories["killed"].kill(by=editor, note="Legal.")
        stories["unpublished"].unpublish(by=editor)
        stories["deleted"].delete()
    later = timezone.now() + timedelta(hours=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    responses = crawl(client, seeds(stories, old_urls))
    for state, url in old_urls.items():  # conditional requests with what readers hold
        if state in etags:
            responses[f"{url} (If-None-Match)"] = client.get(url, HTTP_IF_NONE_MATCH=etags[state])
    for state, link in share_links.items():
        responses[f"share link of the {state} story"] = client.get(link.get_absolute_url())

    found = {url: leaks(url.split(" (")[0], r) for url, r in responses.items()}
    found = {url: words for url, words in found.items() if words}
    not_modified = [url for url, r in responses.items() if r.status_code == 304]
    print(
        f"\nleak crawl: {len(responses)} responses from {len(warm)} warm ones, "
        f"{len(found)} with leaks, {len(not_modified)} stale 304s"
    )
    assert found == {}
    assert not_modified == []
    assert len(responses) > 60  # the crawl reached the site, not just its seeds
    for state in ONCE_PUBLIC:
        status = responses[old_urls[state]].status_code
        assert status in (404, 410), (state, status)


def test_people_and_tags_of_drafts_have_no_pages(client):
    """Issue 11, defect 4: a person quoted only in a draft, a tag used only on drafts."""
    draft = factories.article("Quiet draft")
    insider = factories.person("Deep Insider", description="a confidential ministry insider")
    factories.quote(draft, speaker=insider, text="Off the record.", confirmed=True)
    draft.tags.add("secret-plan")
    for url in (
        insider.get_absolute_url(),
        reverse("people:source", args=[insider.slug]),
        reverse("feeds:person-rss", args=[insider.slug]),
        reverse("feeds:quoted-rss", args=[insider.slug]),
        reverse("articles:tag", args=["secret-plan"]),
        reverse("feeds:tag-rss", args=["secret-plan"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"confidential" not in response.content and b"Deep Insider" not in response.content

    draft.publish(by=factories.user("Editor"))
    assert client.get(insider.get_absolute_url()).status_code == 200
    assert client.get(reverse("articles:tag", args=["secret-plan"])).status_code == 200


def test_markers_are_plain_words_the_body_keeps():
    assert MARKER in body.paragraph(f"{MARKER}x")["html"]
