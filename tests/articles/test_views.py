"""The reader's site: every page type rendered, its content, JSON-LD and constant query counts."""

import datetime
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.dateline import dateline_text
from articles.models import Article, Byline, Photo, Section
from articles.templatetags.reader import absolute_url
from tests import factories
from tests.reader_fixtures import HOSTILE, photo_with_renditions, rich_story

pytestmark = pytest.mark.django_db

# Upper bounds, so a regression that adds queries fails even when it adds them evenly.
MAX_ARTICLE_QUERIES = 16
MAX_LIST_QUERIES = 8


def queries_for(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def jsonld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def h1_count(response) -> int:
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


# -- article page ---------------------------------------------------------------------------


@pytest.fixture
def story(db):
    return rich_story(3, headline="Harbour wall repairs begin")


def test_article_page_shows_the_story(client, story):
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert h1_count(response) == 1
    assert '<h1 id="story-headline">Harbour wall repairs begin</h1>' in html
    assert "The dek sums the story up in a sentence." in html
    for byline in story.bylines.all():
        assert (
            f'href="{byline.person.get_absolute_url()}" rel="author">{byline.person.name}' in html
        )
    # The wire dateline opens the first paragraph, nowhere else.
    # Shown with a real dash (typographic on display; the stored dateline keeps the wire's --).
    assert (
        '<p><span class="dateline">GENEVA, Nov. 27 (UPI) \u2014</span> The first paragraph' in html
    )
    assert html.count('class="dateline"') == 1
    # A valid <time> value: to the second, no microseconds.
    when = story.published_at.replace(microsecond=0).isoformat()
    assert f'<time datetime="{when}"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert '<nav class="section-nav" aria-label="Sections">' in html


def test_lead_photo_is_a_responsive_figure_with_credit_and_license(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="lead-photo">') : html.index("</figure>")]
    assert '<source type="image/webp" srcset="' in figure
    assert re.search(r'srcset="[^"]*w480[^"]*\.webp 480w, [^"]*\.webp 800w, [^"]*1200w"', figure)
    assert re.search(r'<source type="image/jpeg" srcset="[^"]*\.jpg 480w', figure)
    assert 'width="800" height="514"' in figure
    assert 'alt="Two divers beside a stone harbour wall."' in figure
    assert 'loading="lazy"' not in figure  # above the fold
    assert "Divers check the harbour wall at dawn." in figure
    assert "File Photo by Ana Ruiz/Newsroom" in figure
    assert '<a class="license" href="https://example.com/lic" rel="license">' in figure
    # The inline photo further down loads lazily.
    inline = html[html.index('<figure class="inline-photo">') :]
    assert 'loading="lazy"' in inline[: inline.index("</figure>")]


def test_body_blocks_render_in_order(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    links = list(story.related_headlines.select_related("target"))
    first_related = html.index(
        f'<strong>RELATED</strong> <a href="{links[0].target.get_absolute_url()}"'
    )
    first_quote = html.index('<blockquote class="pull-quote"><p>Quoted words number 0.</p>')
    assert html.index("The first paragraph") < first_related < first_quote
    assert first_quote < html.index("The last paragraph closes it.")
    for i in range(3):
        assert f"Quoted words number {i}." in html


def test_related_box_lists_manual_headlines_first_then_suggestions(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    box = html[html.index('id="related-heading"') :]
    box = box[: box.index("</section>")]
    manual = [r.target.headline for r in story.related_headlines.select_related("target")]
    suggested = [
        a.headline
        for a in Article.objects.filter(pk__in=story.suggested_related)
        if a.headline not in manual
    ]
    assert suggested, "the fixture should give automatic suggestions"
    positions = [box.index(headline) for headline in manual + suggested[:1]]
    assert positions == sorted(positions)
    assert positions[-1] > max(positions[:-1])  # a suggestion comes after every manual one
    assert box.count("<li>") == 6


def test_related_box_skips_links_to_stories_readers_cannot_see(client, story, editor):
    target = story.related_headlines.first().target
    target.unpublish(by=editor)
    html = client.get(story.get_absolute_url()).content.decode()
    assert target.headline not in html


def test_tags_latest_corrections_share_and_machine_tags(client, story):
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'href="{reverse("articles:tag", args=["topic-0"])}" rel="tag">topic-0</a>' in html
    assert "Latest Headlines" in html
    assert "Corrections and updates" in html and "An earlier version erred (2)." in html
    assert "https://www.facebook.com/sharer/sharer.php?u=http" in html
    assert "mailto:?subject=Harbour%20wall%20repairs%20begin" in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{story.get_absolute_url()}">' in html
    assert '<meta property="og:type" content="article">' in html
    social = story.lead_photo.renditions.get(spec="social", format="jpeg")
    assert social.url.endswith(".jpg")
    assert f'<meta property="og:image" content="{absolute_url(social.url)}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta name="description" content="The dek sums the story up in a sentence.">' in html
    assert f'href="{reverse("feeds:latest-rss")}"' in html
    assert f'href="{reverse("feeds:section-atom", args=[story.section.slug])}"' in html


def test_article_jsonld_fields(client, story):
    data = jsonld(client.get(story.get_absolute_url()))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour wall repairs begin"
    assert data["datePublished"] == story.first_published_at.isoformat()
    assert data["dateModified"] >= data["datePublished"]
    assert [a["name"] for a in data["author"]] == [
        b.person.name for b in story.bylines.order_by("position")
    ]
    assert all(a["@type"] == "Person" and a["url"].startswith("http") for a in data["author"])
    assert len(data["image"]) == 3 and all(u.startswith("http") for u in data["image"])
    assert data["publisher"]["name"]
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["topic-0", "topic-1", "topic-2"]
    assert data["dateline"] == "GENEVA, Nov. 27"
    assert [c["text"] for c in data["correction"]][0] == "An earlier version erred (0)."


def test_article_query_count_does_not_grow_with_the_story(client, django_assert_max_num_queries):
    small = rich_story(1, headline="One of everything")
    large = rich_story(10, headline="Ten of everything")
    assert large.bylines.count() == 10 and large.tags.count() == 10
    assert large.quotes.count() == 10 and large.related_headlines.count() == 10
    small_count, _ = queries_for(client, small.get_absolute_url())
    large_count, _ = queries_for(client, large.get_absolute_url())
    assert small_count == large_count
    with django_assert_max_num_queries(MAX_ARTICLE_QUERIES):
        client.get(large.get_absolute_url())


def test_hostile_text_is_escaped_everywhere(client):
    story = rich_story(1, headline=HOSTILE, dek=HOSTILE)
    story.lead_photo.caption = HOSTILE
    story.lead_photo.alt_text = HOSTILE
    story.lead_photo.save()
    story.quotes.update(text=HOSTILE)
    story.bylines.first().person.__class__.objects.filter(
        pk=story.bylines.first().person_id
    ).update(name=HOSTILE)
    story.tags.add(HOSTILE)
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    # The JSON-LD survives intact: valid JSON holding exactly the hostile text.
    data = jsonld(response)
    assert data["headline"] == HOSTILE
    assert data["description"] == HOSTILE
    assert HOSTILE in data["keywords"]
    assert data["author"][0]["name"] == HOSTILE
    # Only our own scripts: the JSON-LD block is the one <script> element.
    assert html.count("<script") == 1


@pytest.mark.parametrize("status", ["draft", "scheduled", "unpublished", "expired"])
def test_stories_readers_may_not_see_are_not_found(client, editor, status):
    story = factories.article("Not for readers yet")
    url_story = story
    if status == "scheduled":
        story.publish(by=editor, at=timezone.now() + timedelta(hours=3))
    elif status == "unpublished":
        story.publish(by=editor)
        url_story = Article.objects.get(pk=story.pk)
        story.unpublish(by=editor)
    elif status == "expired":
        story.unpublish_at = timezone.now() + timedelta(seconds=1)
        story.save()
        story.publish(by=editor, at=timezone.now() - timedelta(hours=2))
        Article.objects.filter(pk=story.pk).update(unpublish_at=timezone.now())
    url_story.refresh_from_db()
    url = url_story.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 404
    assert "couldn’t find that page" in response.content.decode()


def test_killed_story_is_gone(client, editor):
    story = factories.published("A story that was withdrawn")
    url = story.get_absolute_url()
    story.kill(by=editor, note="Legal")
    response = client.get(url)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_story_answers_at_its_own_address_and_redirects_from_others(client):
    story = factories.published("Address check")
    wrong = reverse(
        "articles:detail",
        kwargs={
            "section": "business",
            "year": 2001,
            "month": "01",
            "day": "01",
            "slug": story.slug,
        },
    )
    moved = client.get(wrong)
    assert moved.status_code == 301 and moved["Location"] == story.get_absolute_url()
    assert client.get(story.get_absolute_url()).status_code == 200
    nowhere = wrong.replace(story.slug, "no-such-story")
    assert client.get(nowhere).status_code == 404


def test_photo_without_renditions_shows_no_picture_and_never_the_original(client):
    photo = factories.photo()  # a file, no renditions made
    story = factories.published("Photo arrived late", lead_photo=photo)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<picture" not in html and "<img" not in html
    assert photo.image.name.rsplit("/", 1)[-1] not in html
    assert "/private-media/" not in html


def test_pending_photos_are_never_shown(client, editor):
    pending = Photo.objects.create(caption="Waiting for the file", alt_text="Something")
    story = factories.article("No picture yet", lead_photo=None)
    story.body = [*story.body, {"type": "photo", "id": pending.id}]
    story.save()
    story.publish(by=editor)
    no_alt = factories.photo(alt_text="")
    Article.objects.filter(pk=story.pk).update(lead_photo=no_alt)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<figure" not in html and "<picture" not in html
    assert "Waiting for the file" not in html


def test_dateline_formats_months_as_the_wires_do():
    story = Article(dateline_place="United Nations", dateline_agency="UPI")
    story.dateline_date = datetime.date(2026, 6, 4)
    assert dateline_text(story) == "UNITED NATIONS, June 4 (UPI) --"
    story.dateline_date = datetime.date(2026, 9, 30)
    assert dateline_text(story) == "UNITED NATIONS, Sept. 30 (UPI) --"
    story.dateline_date = datetime.date(2026, 10, 25)
    story.dateline_agency = ""
    assert dateline_text(story) == "UNITED NATIONS, Oct. 25 --"
    assert dateline_text(Article(dateline_place="")) == ""


# -- fronts and lists ----------------------------------------------------------------------


def make_sections(count: int, first: int = 0) -> list[Section]:
    sections = []
    for i in range(first, first + count):
        section = factories.section(f"Desk {i}", slug=f"desk-{i}")
        for j in range(3):
            factories.published(
                f"Desk {i} story {j}",
                section=section,
                hours_ago=j + 1,
                authors=2,
                lead_photo=factories.photo() if j == 0 else None,
            )
        sections.append(section)
    return sections


def test_home_shows_lead_latest_and_section_rails(client):
    sections = make_sections(3)
    lead = factories.published(
        "The lead with a picture", hours_ago=0.5, lead_photo=photo_with_renditions()
    )
    response = client.get("/")
    html = response.content.decode()
    assert h1_count(response) == 1
    lead_block = html[html.index('aria-label="Top story"') : html.index('id="latest-heading"')]
    assert "The lead with a picture" in lead_block
    assert 'loading="lazy"' not in lead_block
    latest = html[html.index('id="latest-heading"') : html.index('class="rail"')]
    assert "Desk 2 story 0" in latest and lead.headline not in latest
    for section in sections:
        rail = html[html.index(f'id="rail-{section.slug}"') :]
        rail = rail[: rail.index("</section>")]
        assert f"{section.name} story 0" in rail and f"{section.name} story 2" in rail
    assert f'href="{reverse("feeds:latest-rss")}"' in html


def test_home_query_count_is_independent_of_the_number_of_sections(client):
    make_sections(2)
    few, _ = queries_for(client, "/")
    make_sections(6, first=2)
    many, response = queries_for(client, "/")
    assert few == many <= MAX_LIST_QUERIES
    assert response.content.decode().count('class="rail"') == 8


def test_section_page_paginates(client):
    section = factories.section("Science")
    stories = [
        factories.published(f"Science story {i:02d}", section=section, hours_ago=i + 1)
        for i in range(25)
    ]
    response = client.get(section.get_absolute_url())
    html = response.content.decode()
    assert h1_count(response) == 1 and "<h1>Science</h1>" in html
    assert "Science story 00" in html and "Science story 19" in html
    assert "Science story 20" not in html
    # The next page starts after the last story shown: no page numbers, no counting.
    assert f'href="?before={stories[19].pk}" rel="next">Older' in html
    assert "Newest</a>" not in html
    page_two = client.get(section.get_absolute_url() + f"?before={stories[19].pk}")
    html = page_two.content.decode()
    assert "Science story 20" in html and "Science story 24" in html
    assert "Science story 19" not in html and "Older &rarr;" not in html
    assert f'<a href="{section.get_absolute_url()}" rel="first">&larr; Newest</a>' in html
    assert (
        f'rel="canonical" href="http://127.0.0.1:8000/section/science/?before={stories[19].pk}"'
        in html
    )
    assert f'href="{reverse("feeds:section-rss", args=["science"])}"' in html
    # Past the end, or not a story: not found, as an unknown page was.
    assert client.get(section.get_absolute_url() + f"?before={stories[24].pk}").status_code == 404
    assert client.get(section.get_absolute_url() + "?before=x").status_code == 404
    assert client.get("/section/no-such-desk/").status_code == 404


def test_stories_published_at_the_same_moment_are_each_listed_once(client):
    section = factories.section("Ties")
    stories = [factories.published(f"Tied story {i:02d}", section=section) for i in range(25)]
    Article.objects.filter(section=section).update(published_at=stories[0].published_at)
    first = client.get(section.get_absolute_url()).content.decode()
    older = re.search(r'href="\?before=(\d+)" rel="next"', first).group(1)
    second = client.get(f"{section.get_absolute_url()}?before={older}").content.decode()
    shown = re.findall(r"Tied story \d\d", first + second)
    assert sorted(shown) == sorted(f"Tied story {i:02d}" for i in range(25))


def list_with(n: int, section):
    """Four stories with ``n`` bylines and tags each, sharing a tag, an author and a source."""
    author, source = factories.person(f"Writer {n}"), factories.person(f"Source {n}")
    for i in range(4):
        story = factories.published(f"List story {n}-{i}", section=section, authors=n)
        Byline.objects.create(article=story, person=author, position=99)
        story.tags.add(f"shared-{n}", *[f"t{n}-{j}" for j in range(n)])
        factories.quote(story, speaker=source)
    return author, source


@pytest.mark.parametrize("page", ["section", "tag", "person", "source"])
def test_list_pages_cost_the_same_with_many_bylines_and_tags(client, page):
    section_one, section_ten = factories.section("One"), factories.section("Ten")
    one, ten = list_with(1, section_one), list_with(10, section_ten)

    def url(n, section, people):
        author, source = people
        return {
            "section": section.get_absolute_url(),
            "tag": reverse("articles:tag", args=[f"shared-{n}"]),
            "person": author.get_absolute_url(),
            "source": reverse("people:source", args=[source.slug]),
        }[page]

    small, _ = queries_for(client, url(1, section_one, one))
    large, response = queries_for(client, url(10, section_ten, ten))
    assert small == large <= MAX_LIST_QUERIES
    html = response.content.decode()
    assert h1_count(response) == 1
    assert html.count('class="story-item') >= 4
    assert "List story 10-0" in html


def test_tag_page(client):
    story = factories.published("Tagged story")
    story.tags.add("Harbours")
    html = client.get(reverse("articles:tag", args=["harbours"])).content.decode()
    assert "<h1>Harbours</h1>" in html and "Tagged story" in html
    assert f'href="{reverse("feeds:tag-atom", args=["harbours"])}"' in html


def test_person_page_lists_their_stories_and_where_they_are_quoted(client):
    writer = factories.person("Ines Carvalho", bio="Covers ports and shipping.")
    story = factories.published("Written by Ines")
    Byline.objects.create(article=story, person=writer, position=5)
    quoted_in = factories.published("Ines quoted here")
    factories.quote(quoted_in, speaker=writer)
    unconfirmed = factories.published("Ines maybe quoted")
    factories.quote(unconfirmed, speaker=writer, confirmed=False)
    html = client.get(writer.get_absolute_url()).content.decode()
    assert "<h1>Ines Carvalho</h1>" in html and "Covers ports and shipping." in html
    assert "Written by Ines" in html and "Ines quoted here" in html
    assert "Ines maybe quoted" not in html
    assert f'href="{reverse("feeds:person-rss", args=[writer.slug])}"' in html
    assert f'href="{reverse("feeds:quoted-rss", args=[writer.slug])}"' in html


def test_source_page_lists_published_stories_with_confirmed_quotes(client, editor):
    source = factories.person("Port Director Lin")
    quoted = factories.published("Lin speaks on tariffs")
    factories.quote(quoted, speaker=source)
    draft = factories.article("Lin in a draft")
    factories.quote(draft, speaker=source)
    maybe = factories.published("Lin unconfirmed")
    factories.quote(maybe, speaker=source, confirmed=False)
    response = client.get(reverse("people:source", args=[source.slug]))
    html = response.content.decode()
    assert "Stories quoting Port Director Lin" in html
    assert "Lin speaks on tariffs" in html
    assert "Lin in a draft" not in html and "Lin unconfirmed" not in html


# -- error pages ------------------------------------------------------------------------------


def test_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "couldn’t find that page" in html and 'role="search"' in html


def test_500_template_renders_without_a_request():
    html = render_to_string("500.html")
    assert "something went wrong" in html.lower() and "<h1>" in html


def test_a_deep_list_page_costs_what_the_first_costs(client):
    section = factories.section("Deep")
    stories = [factories.published(f"Deep {i}", section=section, hours_ago=i) for i in range(45)]
    first, _ = queries_for(client, section.get_absolute_url())
    deep, response = queries_for(client, f"{section.get_absolute_url()}?before={stories[39].pk}")
    assert first == deep
    assert "Deep 44" in response.content.decode()
