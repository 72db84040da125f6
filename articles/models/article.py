import unicodedata
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models, router, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator, slugify
from taggit.managers import TaggableManager

from articles.body import body_is_empty, clean_body
from articles.body import body_text as plain_body_text
from articles.publishing.addresses import story_path
from articles.signals import StoryEvent


def match_key(text: str) -> str:
    """How headlines (and quoted words) are matched: case, spacing and Unicode form ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


# ``front_page()``'s position for stories no editor pinned: after every pinned one.
UNPINNED = 2**15 - 1

# Past this many stories, a person's or a tag's newest page is found by walking the newest
# stories (see ArticleQuerySet.linked_from).
MANY = 1_000


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    READY = "ready", "Ready for edit"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    KILLED = "killed", "Killed"


class WireStatus(models.TextChoices):
    """The agency's word on the story it sent (see articles/wire/story.py)."""

    USABLE = "usable", "Usable"
    WITHHELD = "withheld", "Withheld by the agency"
    CANCELED = "canceled", "Canceled by the agency"
    KILLED = "killed", "Killed by the agency"


class ArticleQuerySet(models.QuerySet):
    def published(self, at=None):
        """What the public may see at ``at`` (now): published, its time has come, not expired."""
        at = at or timezone.now()
        return self.filter(status=Status.PUBLISHED, published_at__lte=at).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=at)
        )

    def scheduled(self, at=None):
        """Published stories whose publish time is still ahead."""
        return self.filter(status=Status.PUBLISHED, published_at__gt=at or timezone.now())

    def drafts(self):
        return self.filter(status=Status.DRAFT)

    def flagged_by_agency(self):
        """Stories the agency has since withheld, canceled or killed."""
        return self.exclude(wire_status=WireStatus.USABLE)

    def ready_for_edit(self):
        return self.filter(status=Status.READY)

    def killed(self):
        """Stories withdrawn for good: their addresses answer 410 Gone."""
        return self.filter(status=Status.KILLED)

    def by(self, person):
        """Stories with a byline by ``person``."""
        from articles.models.byline import Byline

        return self.linked_from(Byline.objects.filter(person=person), "article_id")

    def in_section(self, section):
        return self.filter(section=section)

    def tagged(self, tag):
        """Stories tagged ``tag`` (a Tag or its slug)."""
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        items = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        )
        items = items.filter(tag__slug=tag) if isinstance(tag, str) else items.filter(tag=tag)
        return self.linked_from(items, "object_id")

    def quoting(self, person):
        """Stories with a confirmed quote from ``person``."""
        from articles.models.quote import Quote

        return self.linked_from(Quote.objects.filter(speaker=person, confirmed=True), "article_id")

    def linked_from(self, rows, story_field: str):
        """Stories that ``rows`` (bylines, tagged items, quotes) point at through ``story_field``.

        Newest-first pages of these need one of two plans: read the few stories a rare
        person or tag has and sort them, or walk the newest stories and stop at a page of
        matches. PostgreSQL chooses from its statistics; SQLite always takes the first, which
        reads all 5,000 stories of a common tag in a 100,000-story archive, so here a count
        that stops at ``MANY`` chooses for it (docs/benchmarks.md).
        """
        if connections[self.db].vendor == "sqlite" and rows.order_by()[:MANY].count() == MANY:
            return self.filter(Exists(rows.filter(**{story_field: OuterRef("pk")})))
        return self.filter(pk__in=rows.values(story_field))

    def similar_to(self, article):
        """Published stories sharing tags or quoted people with ``article``, most shared first.

        The section and recency only break ties: a story is never suggested for being new in
        the same section alone.
        """
        from articles.models.quote import Quote

        tag_ids = list(article.tags.values_list("id", flat=True))
        speaker_ids = list(
            Quote.objects.filter(article=article).values_list("speaker_id", flat=True).distinct()
        )
        same_section = Q(section_id=article.section_id) if article.section_id else Q(pk__in=[])
        return (
            self.published()
            .exclude(pk=article.pk)
            .annotate(
                shared_tags=models.Count("tags", filter=Q(tags__id__in=tag_ids), distinct=True),
                shared_people=models.Count(
                    "quotes__speaker",
                    filter=Q(quotes__speaker_id__in=speaker_ids, quotes__confirmed=True),
                    distinct=True,
                ),
                in_same_section=models.Case(
                    models.When(same_section, then=1), default=0, output_field=models.IntegerField()
                ),
            )
            .filter(Q(shared_tags__gt=0) | Q(shared_people__gt=0))
            .order_by(
                (models.F("shared_tags") + models.F("shared_people")).desc(),
                "-in_same_section",
                "-published_at",
                "-id",
            )
        )

    def changed_since(self, at):
        """Stories whose ``last_changed`` is at or after ``at`` (published, or a reader-visible
        edit or correction since): the queryset twin of ``Article.last_changed``."""
        return self.filter(Q(published_at__gte=at) | Q(changed_at__gte=at))

    def latest_first(self):
        return self.order_by("-published_at", "-id")

    def front_page(self, count: int):
        """The first ``count`` in front-page order: the editors' pinned stories in their order
        (the first leads), then the newest.

        Only the pinned stories and the newest ``count`` (one index range) are candidates, so
        the sort never reads the archive (ordering every story by its pin did: 0.6 s at
        100,000 stories).
        """
        from articles.models.front import FrontPick

        newest = self.order_by("-published_at", "-id").values("pk")[:count]
        # One list of ids (SQLite cannot limit one half of a UNION: the newest go inside a
        # filter), so the database looks the stories up by id instead of testing every one.
        candidates = (
            FrontPick.objects.order_by()
            .values_list("article_id")
            .union(self.model.objects.filter(pk__in=newest).order_by().values_list("pk"))
        )
        unpinned = models.Value(UNPINNED)
        position = Coalesce("front_pick__position", unpinned, output_field=models.IntegerField())
        return (
            self.filter(pk__in=candidates)
            .annotate(front_position=position)
            .order_by("front_position", "-published_at", "-id")[:count]
        )

    def pinned_to_front(self):
        return self.filter(front_pick__isnull=False).order_by("front_pick__position", "-id")

    def in_rails(self, sections):
        """The stories of each of ``sections`` published since its ``rail_start``, in one query.

        ``sections`` come from ``Section.objects.with_rail_start(...)``: one index range per
        section, so the cost does not grow with the archive (a window function over every
        story did). A section without a rail start has fewer stories than the rail holds.
        """
        ranges = Q(pk__in=[])
        for section in sections:
            if section.rail_start is None:
                ranges |= Q(section_id=section.pk)
            else:
                ranges |= Q(section_id=section.pk, published_at__gte=section.rail_start)
        return self.filter(ranges).order_by("section_id", "-published_at", "-id")

    def with_list_relations(self):
        """What a list of headlines needs: section, lead photo with renditions, bylines.

        Not the body, its text or the suggestions: a list never shows them, and decoding
        them for every story was a good part of a list's time.
        """
        from articles.models.byline import Byline
        from articles.models.photo import Rendition

        listed = self.defer("body", "body_text", "suggested_related")
        return listed.select_related("section", "lead_photo").prefetch_related(
            Prefetch(
                "bylines",
                queryset=Byline.objects.select_related("person").order_by("position", "id"),
            ),
            Prefetch("lead_photo__renditions", queryset=Rendition.objects.order_by("width")),
        )

    def for_links(self):
        """Only what a link to a story needs: its headline and the parts of its address."""
        return self.select_related("section").only(
            "id", "headline", "slug", "published_at", "created_at", "section__slug"
        )

    def with_stored_page(self):
        """The story row with its stored page (articles/readmodel/), in one query.

        Only the columns the page reads: the stored page already holds the body rendered.
        """
        return self.select_related("section", "page").only(
            *("id", "headline", "slug", "section", "status", "published_at", "created_at"),
            *("unpublish_at", "version", "updated_at", "changed_at", "suggested_related"),
            *("section__name", "section__slug", "page__source", "page__parts"),
        )

    def with_page_relations(self):
        """Everything an article page reads, in a fixed number of queries."""
        from articles.models.history import Correction
        from articles.models.quote import Quote
        from articles.models.related import RelatedHeadline

        # The whole row, body included (lists leave it out).
        return (
            self.with_list_relations()
            .defer(None)
            .prefetch_related(
                "tags",
                Prefetch(
                    "related_headlines",
                    queryset=RelatedHeadline.objects.select_related("target__section").order_by(
                        "position", "id"
                    ),
                ),
                Prefetch("quotes", queryset=Quote.objects.select_related("speaker")),
                Prefetch("corrections", queryset=Correction.objects.order_by("created_at")),
            )
        )


class Article(models.Model):
    headline = models.CharField(max_length=300)
    slug = models.SlugField(max_length=220, unique=True, blank=True)
    dek = models.TextField(
        "summary", blank=True, help_text="One or two sentences under the headline."
    )
    body = models.JSONField(
        default=list, blank=True, help_text="Ordered blocks; see articles/body.py."
    )
    # The paragraphs as plain text, kept in step with ``body`` on save: search reads it.
    body_text = models.TextField(blank=True, editable=False)
    # The headline as related-headline lines are matched (``match_key``), kept in step on save:
    # the wire importer links "RELATED ..." lines with one indexed lookup.
    headline_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)

    dateline_place = models.CharField(max_length=100, blank=True, help_text="e.g. 'GENEVA'.")
    dateline_date = models.DateField(null=True, blank=True)
    dateline_agency = models.CharField(max_length=50, blank=True, help_text="e.g. 'UPI'.")

    section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(blank=True)
    lead_photo = models.ForeignKey(
        "articles.Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_of"
    )
    # Every photo the story shows (the lead and the body's photo blocks), kept in step with
    # ``lead_photo`` and ``body`` on save: "photos of public stories" is then one query.
    photos = models.ManyToManyField(
        "articles.Photo", blank=True, editable=False, related_name="stories"
    )

    # Publishing state changes only through the actions in articles/publishing/steps.py.
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    unpublish_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: the story leaves the site at this time."
    )
    kill_note = models.TextField(blank=True, editable=False)
    # When readers last saw a change: publication, a correction, or an edit of a live story.
    # Written only by ``mark_changed()``; pages, feeds, sitemaps and JSON-LD all read it.
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The address readers last had for the story; when it moves, the old one redirects (301).
    public_path = models.CharField(max_length=400, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    suggested_related = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="Ids of similar stories, computed when the story is saved or published.",
    )

    source_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Hash of the wire copy it came from."
    )
    # What the agency says about the story (articles/wire/): written by the importer only.
    wire_id = models.CharField(
        "agency id", max_length=255, blank=True, editable=False,
        help_text="NITF doc-id, NewsML-G2 guid or ninjs uri.",
    )  # fmt: skip
    wire_version = models.PositiveIntegerField(default=0, editable=False)
    wire_status = models.CharField(
        max_length=10, choices=WireStatus.choices, default=WireStatus.USABLE, editable=False
    )
    wire_note = models.TextField("agency note", blank=True, editable=False)
    wire_urgency = models.PositiveSmallIntegerField(
        "urgency", null=True, blank=True, editable=False, help_text="1 most urgent .. 9 least."
    )
    # sha256 of the story's words as the wire last left them: unequal = the desk edited it.
    wire_digest = models.CharField(max_length=64, blank=True, editable=False)
    embargoed_until = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="The agency's embargo: not published or scheduled before this time.",
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        # Every list readers, feeds and the desk read is one range of one of these, in its
        # order (the id breaks ties), however large the archive (docs/benchmarks.md).
        indexes = [
            models.Index(fields=["status", "published_at", "id"], name="article_public"),
            models.Index(
                fields=["section", "status", "published_at", "id"], name="article_section_public"
            ),
            models.Index(fields=["published_at", "created_at", "id"], name="article_newest"),
            models.Index(fields=["status", "updated_at"], name="article_status_changed"),
            models.Index(fields=["updated_at"], name="article_updated"),
            models.Index(fields=["wire_urgency"], name="article_wire_urgency"),
            # The desk's agency alerts: the few stories the agency withheld, canceled or killed,
            # newest change first, without walking every usable story to find them.
            models.Index(
                fields=["updated_at"],
                condition=~Q(wire_status="usable"),
                name="article_agency_flagged",
            ),
            # The importer's one lookup ORs these with slug and headline_key: each needs a full
            # index (the partial unique ones below are not used for it), or every import scans.
            models.Index(fields=["source_fingerprint"], name="article_wire_copy"),
            models.Index(fields=["wire_id"], name="article_agency_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_fingerprint"],
                condition=~Q(source_fingerprint=""),
                name="one_article_per_wire_copy",
            ),
            models.UniqueConstraint(
                fields=["wire_id"], condition=~Q(wire_id=""), name="one_article_per_agency_id"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_has_time",
            ),
        ]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish and kill stories"),
            ("edit_any_article", "Can edit stories by anyone"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, linked_photos: set[int] | None = None, **kwargs):
        """``linked_photos``: the photo ids a caller knows are linked because it saved this new
        story earlier in the same transaction (the importer writes the body right after the
        insert); they are then not read back to keep the links in step."""
        if not self.slug:
            self.slug = self.unique_slug(self.headline, exclude_pk=self.pk)
        self.body_text = plain_body_text(self.body)
        self.headline_key = match_key(self.headline)[:400]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        adding = self._state.adding
        if update_fields is not None and "headline" in update_fields:
            kwargs["update_fields"] = {*kwargs["update_fields"], "headline_key"}
        super().save(*args, **kwargs)
        if update_fields is None or {"body", "lead_photo"} & set(update_fields):
            self._keep_photos_in_step(adding, linked_photos)

    def photo_ids(self) -> set[int]:
        """Ids of the lead photo and of the body's photo blocks (as stored, unchecked)."""
        ids = {
            b.get("id") for b in self.body or [] if isinstance(b, dict) and b.get("type") == "photo"
        }
        ids.add(self.lead_photo_id)
        return {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}

    def _keep_photos_in_step(self, adding: bool, linked: set[int] | None = None) -> None:
        from articles.models.photo import Photo

        wanted = self.photo_ids()
        if adding:
            linked = set()
        elif linked is None:
            through = self.photos.through.objects.filter(article_id=self.pk)
            linked = set(through.values_list("photo_id", flat=True))
        if wanted == linked:
            return
        # Only photos that exist can be linked (a body may name a deleted one). The lead photo
        # is a foreign key: a missing one fails the whole save at commit, link and all.
        added = wanted - linked
        unchecked = added - {self.lead_photo_id}
        if unchecked:
            gone = unchecked - set(
                Photo.objects.filter(pk__in=unchecked).values_list("pk", flat=True)
            )
            added -= gone
        # add() and remove() send m2m_changed: the photos' release is reconsidered.
        if linked - wanted:
            self.photos.remove(*(linked - wanted))
        if added and adding:
            self._link_new_photos(added)
        elif added:
            self.photos.add(*added)

    def _link_new_photos(self, ids: set[int]) -> None:
        """add() for a story just inserted: it has no links yet, so none are looked up first
        (add() asks which are missing whenever m2m_changed has receivers); the same signals."""
        from articles.models.photo import Photo

        through = self.photos.through
        db = router.db_for_write(through, instance=self)
        signal = {"sender": through, "instance": self, "reverse": False, "model": Photo}
        with transaction.atomic(using=db, savepoint=False):
            models.signals.m2m_changed.send(action="pre_add", pk_set=ids, using=db, **signal)
            through.objects.using(db).bulk_create(
                through(article_id=self.pk, photo_id=photo_id) for photo_id in ids
            )
            models.signals.m2m_changed.send(action="post_add", pk_set=ids, using=db, **signal)

    @staticmethod
    def base_slug(text: str) -> str:
        """The slug ``text`` gives before any number is added to make it unique."""
        return (slugify(text)[:200].strip("-")) or "story"

    @classmethod
    def unique_slug(cls, text: str, exclude_pk=None) -> str:
        base = cls.base_slug(text)
        slug, n = base, 2
        while cls.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def clean(self):
        self.body = clean_body(self.body)

    # -- reading state --------------------------------------------------------------------

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and self.published_at > timezone.now()

    @property
    def is_live(self) -> bool:
        now = timezone.now()
        return (
            self.status == Status.PUBLISHED
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def is_expired(self) -> bool:
        """Published, but its unpublish time has passed: readers no longer see it."""
        return (
            self.status == Status.PUBLISHED
            and self.unpublish_at is not None
            and self.unpublish_at <= timezone.now()
        )

    def coming_moments(self, now=None) -> list[tuple[str, datetime]]:
        """When the clock alone will change what readers see: ``("published", at)`` at a
        scheduled publish time, ``("unpublished", at)`` at the unpublish time. No save happens
        then, so whoever must act at those moments (webhooks, the partner feed, media) asks here
        and schedules itself."""
        now = now or timezone.now()
        if self.status != Status.PUBLISHED:
            return []
        moments = []
        if self.published_at and self.published_at > now:
            moments.append((StoryEvent.PUBLISHED, self.published_at))
        if self.unpublish_at and self.unpublish_at > now:
            moments.append((StoryEvent.UNPUBLISHED, self.unpublish_at))
        return moments

    @property
    def first_published(self):
        """When readers first saw the story (the publish time until it has been live)."""
        return self.first_published_at or self.published_at

    @property
    def last_changed(self):
        """When readers last saw a change; never before the first publication."""
        times = [t for t in (self.changed_at, self.published_at) if t is not None]
        return max(times, default=None)

    def mark_changed(self, at=None) -> None:
        """Record that readers see a change now (an edit of a live story, a correction)."""
        self.changed_at = at or timezone.now()
        Article.objects.filter(pk=self.pk).update(
            changed_at=self.changed_at, updated_at=self.changed_at
        )

    @property
    def is_embargoed(self) -> bool:
        """The agency's embargo time is still ahead."""
        return bool(self.embargoed_until and self.embargoed_until > timezone.now())

    @property
    def summary(self) -> str:
        """The dek, or the opening words of the body when the story has no dek."""
        return self.dek or Truncator(self.body_text).words(40)

    @property
    def state_label(self) -> str:
        """The status as the desk says it: a published story whose time is ahead is scheduled."""
        if self.status != Status.PUBLISHED:
            return self.get_status_display()
        if self.is_scheduled:
            return "Scheduled"
        if self.is_expired:
            return "Expired"
        return self.get_status_display()

    @property
    def has_dateline(self) -> bool:
        return bool(self.dateline_place)

    def content_problems(self) -> list[str]:
        """What the story lacks to be a story at all: a headline, a byline and a body.

        Submitting for edit asks this; ``publish_problems`` adds what readers need besides.
        """
        problems = []
        if not self.headline.strip():
            problems.append("it needs a headline")
        # Asked of the table, not of ``self.bylines``: a prefetched list may be stale by now.
        if not self.pk or not self.bylines.model.objects.filter(article_id=self.pk).exists():
            problems.append("it needs at least one byline")
        if body_is_empty(self.body):
            problems.append("it needs a body")
        return problems

    def publish_problems(self, at=None) -> list[str]:
        """Why this story cannot be published (at ``at``, default now) or stay published; empty
        when it can.

        The one home of publishability: the Publish and Schedule steps ask it (for now or the
        scheduled time), and so does every save of a published story
        (``publishing.revisions.content_saved``).
        """
        problems = []
        if self.embargoed_until and (at or timezone.now()) < self.embargoed_until:
            when = timezone.localtime(self.embargoed_until).strftime("%Y-%m-%d %H:%M %Z")
            problems.append(f"it is under the agency's embargo until {when}")
        problems.extend(self.content_problems())
        if self.lead_photo_id:
            problems.extend(self.lead_photo.publish_problems())
        return problems

    def check_publishable(self, at=None) -> None:
        problems = self.publish_problems(at=at)
        if problems:
            raise ValidationError(f"Cannot publish: {'; '.join(problems)}.", code="publishable")

    def refresh_suggested_related(self, limit: int = 6) -> list[int]:
        """Store the ids of the most similar published stories (read by the page, not computed)."""
        ids = list(Article.objects.similar_to(self).values_list("id", flat=True)[:limit])
        if ids != self.suggested_related:
            Article.objects.filter(pk=self.pk).update(suggested_related=ids)
            self.suggested_related = ids
        return ids

    # -- addresses ------------------------------------------------------------------------

    def get_absolute_url(self) -> str:
        return story_path(
            self.section.slug if self.section_id else "news",
            self.published_at or self.created_at or timezone.now(),
            self.slug,
        )

    # -- transitions (see articles/publishing/steps.py) -------------------------------------------

    def submit_for_edit(self, by, note: str = ""):
        from articles.publishing.steps import SubmitForEdit

        return SubmitForEdit(self, by, note=note).execute()

    def publish(self, by, at=None, note: str = ""):
        from articles.publishing.steps import Publish

        return Publish(self, by, at=at, note=note).execute()

    def unpublish(self, by, note: str = ""):
        from articles.publishing.steps import Unpublish

        return Unpublish(self, by, note=note).execute()

    def kill(self, by, note: str):
        from articles.publishing.steps import Kill

        return Kill(self, by, note=note).execute()
