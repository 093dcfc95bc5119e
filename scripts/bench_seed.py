"""The articles of `make bench` (scripts/bench.py): BENCH_N published articles with photos,
quotes and topics, added by bulk inserts to whatever bench articles the database holds already,
so that 2,000, 20,000 and 200,000 grow one database. Needs Django set up."""

from __future__ import annotations

import io
import random
import time
from datetime import UTC, datetime, timedelta

SLUG_PREFIX = "bench-"
COMMON_WORD = "Jobcenter"  # in nearly every article
RARE_WORD = "Zukunftswerkstatt"  # in one article of a thousand
PHOTO_CAPTION = "Beratung im Jobcenter"
# Two hours apart: 200,000 articles reach back 46 years, 20,000 four and a half (eight hours
# apart, as before issue 17, 200,000 would start in 1844).
HOURS_APART = 2
SEED_CHUNK = 10_000


def sample_paragraphs() -> list[str]:
    from demo.loader import SAMPLE_FILE
    from releases.parser import decode, parse_release

    release = parse_release(decode(SAMPLE_FILE.read_bytes()))
    return [release.lead, *release.paragraphs]


def seed(count: int) -> tuple[int, float]:
    """At least `count` published bench articles, the newest an hour ago, one every
    HOURS_APART hours back in time: the bench articles already in the database are kept and
    only the missing ones added (bulk inserts in chunks of SEED_CHUNK), so that 2,000, 20,000
    and 200,000 grow one database. Returns how many were created and how long it took."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile
    from django.db import transaction
    from PIL import Image

    from press.models import Article, Photo, PressContact, Quote, Spokesperson, Topic
    from public.caching import public_cache

    existing = Article.objects.filter(slug__startswith=SLUG_PREFIX)
    have = existing.count()
    if have >= count:
        return 0, 0.0
    started = time.perf_counter()
    paragraphs = sample_paragraphs()
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True})
        contact, _ = PressContact.objects.get_or_create(
            label="Pressestelle KoBa Harz",
            defaults={"phone": "03943 58-3234", "email": "presse@koba-jobcenter-harz.de"},
        )
        topics = [
            Topic.objects.get_or_create(name=name)[0]
            for name in ["SGB II", "Arbeitsmarkt", "Bildung", "Gesundheit", "Familie",
                         "Integration", "Ausbildung", "Fachkräfte", "Beratung", "Projekte"]
        ]  # fmt: skip
        people = [
            Spokesperson.objects.get_or_create(
                name=name, defaults={"function": function, "organisation": "KoBa Harz"}
            )[0]
            for name, function in [("Claudia Langer", "Eigenbetriebsleiterin"),
                                   ("Thomas Berger", "Bereichsleiter Markt und Integration"),
                                   ("Sabine Krüger", "Pressesprecherin")]
        ]  # fmt: skip
        photos = list(Photo.objects.filter(caption__startswith=PHOTO_CAPTION).order_by("pk")[:4])
        for number, colour in enumerate(["steelblue", "seagreen", "indianred", "goldenrod"]):
            if number < len(photos):
                continue
            buffer = io.BytesIO()
            Image.new("RGB", (1600, 1067), colour).save(buffer, "JPEG", quality=85)
            photos.append(
                Photo.objects.create(
                    image=ContentFile(buffer.getvalue(), name=f"bench-{number}.jpg"),
                    caption=f"{PHOTO_CAPTION}, Motiv {number + 1}",
                    credit="KoBa Harz",
                    alt_text=f"Symbolbild {number + 1}: Beratungsgespräch",
                )
            )
        newest = existing.filter(slug=f"{SLUG_PREFIX}0").values_list("publish_at", flat=True)
        anchor = (newest.first() or datetime.now(UTC).replace(microsecond=0)) + timedelta(hours=1)
        taken = set(existing.values_list("slug", flat=True))
        missing = [index for index in range(count) if f"{SLUG_PREFIX}{index}" not in taken]
        kinds = list(Article.Kind.values)
        through = Article.topics.through
        for start in range(0, len(missing), SEED_CHUNK):
            articles = []
            for index in missing[start : start + SEED_CHUNK]:
                # Seeded per article, so that an article's text is the same however the
                # database grew.
                rng = random.Random(index)
                words = rng.sample(paragraphs, k=min(3, len(paragraphs)))
                if index % 1000 == 7:
                    words.append(f"Die {RARE_WORD} im Landkreis Harz lädt ein.")
                articles.append(
                    Article(
                        kind=rng.choice(kinds),
                        kicker="Zuarbeit Kreisblatt",
                        title=f"{COMMON_WORD} im Landkreis Harz: Meldung {index + 1}",
                        slug=f"{SLUG_PREFIX}{index}",
                        lead=f"Neues aus dem {COMMON_WORD}, Nummer {index + 1}.",
                        body="".join(f"<p>{text}</p>" for text in words),
                        lead_photo=photos[index % len(photos)],
                        press_contact=contact,
                        state=Article.State.PUBLISHED,
                        publish_at=anchor - timedelta(hours=HOURS_APART * index + 1),
                        created_by=user,
                    )
                )
            created = Article.objects.bulk_create(articles, batch_size=1000)
            Quote.objects.bulk_create(
                [
                    Quote(article=article, spokesperson=people[i % len(people)], function="",
                          text="Wir unterstützen die Menschen im Landkreis Harz.")
                    for i, article in enumerate(created)
                ],
                batch_size=2000,
            )  # fmt: skip
            through.objects.bulk_create(
                [
                    through(article_id=article.pk, topic_id=topic.pk)
                    for i, article in enumerate(created)
                    for topic in {topics[i % len(topics)], topics[(i * 7) % len(topics)]}
                ],
                batch_size=5000,
            )
    analyse()
    # Bulk inserts send no signals: the remembered navigation and counts must go.
    public_cache.clear()
    return len(missing), time.perf_counter() - started


def analyse() -> None:
    """Fresh planner statistics (and, on PostgreSQL, a visibility map for index-only scans and
    no dead rows), as autovacuum would leave them a minute after a bulk load or the bench's
    rolled-back import: the whole database, since both write to more tables than the articles
    (measured on 20,000 articles: the rolled-back import of 1,000 files cost the topic page
    5 % of its uncached requests/s until the next vacuum)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
