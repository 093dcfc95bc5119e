"""Demo content for a local newsroom: one real release, sixteen invented ones, three accounts.

The content is data (demo/data): each article is a release text in the press office's format,
read by the same parser as every import (releases.parser); demo.toml holds the rest – accounts,
people, topics, photos, legal pages, and the timeline of each article.

`load_demo()` fills an empty database through the same workflow methods the admin uses, so every
article has a real history (ArticleEvent): who wrote, submitted, published, corrected it. Only the
timestamps of that history are moved back afterwards, so that the archive spans several years.

The real release of 6 October 2017 (demo/data/kreisblatt-2017-10-06.txt) is also the marker:
once it exists, loading again creates nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from press.models import (
    Article,
    ArticleEvent,
    Author,
    LegalPage,
    Photo,
    PressContact,
    Spokesperson,
    Topic,
)
from releases.importing import add_quotes, unsaved_article
from releases.parser import BERLIN, decode, parse_release

from .pictures import picture

DATA = Path(__file__).resolve().parent / "data"
SAMPLE_FILE = DATA / "kreisblatt-2017-10-06.txt"
SAMPLE_SLUG = "koba-harz-praesentiert-sich-im-kooperationsausschuss-sgb-ii-beim-bmas"
CONTENT = tomllib.loads((DATA / "demo.toml").read_text(encoding="utf-8"))
DAY = timedelta(days=1)


@dataclass(frozen=True)
class DemoAccount:
    role: str  # name of the role's group (press.roles)
    username: str
    password: str
    first_name: str
    last_name: str


ACCOUNTS = tuple(DemoAccount(**account) for account in CONTENT["accounts"])


# --- timelines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One workflow step. `at` is when it happened: a datetime, or a timedelta counted from
    today 10:00 (for articles that are still being worked on when the demo is loaded)."""

    action: str  # write, submit, return, publish, correct, withdraw
    at: datetime | timedelta
    text: str = ""  # comment, change note or reason for withdrawal
    publish_at: datetime | timedelta | None = None  # for publish, if not `at` (Sperrfrist)
    fix: tuple[str, str] | None = None  # for correct: (wrong, right) in lead and body


def berlin(moment: datetime) -> datetime:
    """A TOML local date-time as German local time."""
    return moment.replace(tzinfo=BERLIN)


def timeline(spec: dict) -> list[Step]:
    """The steps of an article's entry in demo.toml (the forms are listed at its top)."""
    if "published" in spec:
        on = berlin(spec["published"])
        steps = [Step("write", on - 3 * DAY), Step("submit", on - DAY), Step("publish", on)]
        if fix := spec.get("corrected"):
            wrong_right = (fix["wrong"], fix["right"])
            steps.append(Step("correct", berlin(fix["at"]), fix["note"], fix=wrong_right))
        if withdrawal := spec.get("withdrawn"):
            steps.append(Step("withdraw", berlin(withdrawal["at"]), withdrawal["reason"]))
        return steps
    if "embargoed" in spec:
        public = spec["embargoed"] * DAY
        approved = -DAY + timedelta(hours=3)
        return [
            Step("write", -2 * DAY),
            Step("submit", -DAY),
            Step("publish", approved, publish_at=public),
        ]
    if spec.get("in_review"):
        return [Step("write", -2 * DAY), Step("submit", -DAY)]
    if "sent_back" in spec:
        return [
            Step("write", -3 * DAY),
            Step("submit", -2 * DAY),
            Step("return", -DAY, spec["sent_back"]),
        ]
    if spec.get("draft"):
        return [Step("write", -DAY)]
    raise ValueError(f"demo.toml: {spec['file']} has no timeline")


# --- loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    account: DemoAccount
    password_works: bool  # False if someone changed the demo password since


@dataclass(frozen=True)
class DemoResult:
    created_articles: int  # 0: the demo content was there already
    logins: list[Login]


def load_demo(now: datetime | None = None) -> DemoResult:
    """Create the demo accounts if missing and, on a database without the demo, its content."""
    with transaction.atomic():
        users = {account.username: ensure_account(account) for account in ACCOUNTS}
        created = 0
        if not Article.objects.filter(slug=SAMPLE_SLUG).exists():
            created = Demo.build(users, now or timezone.now()).load()
    logins = [Login(a, users[a.username].check_password(a.password)) for a in ACCOUNTS]
    return DemoResult(created_articles=created, logins=logins)


def ensure_account(account: DemoAccount) -> User:
    """The demo account; an existing one is left as it is."""
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "first_name": account.first_name,
            "last_name": account.last_name,
            # example.org is reserved: mail to demo accounts never reaches a real person.
            "email": f"{account.username}@example.org",
            "is_staff": True,
        },
    )
    if created:
        validate_password(account.password, user)
        user.set_password(account.password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=account.role))
    return user


@dataclass
class Demo:
    """What the loader has made so far, looked up by name while building the articles."""

    writer: User
    publisher: User
    now: datetime
    topics: dict[str, Topic]
    authors: dict[str, Author]
    speakers: dict[str, Spokesperson]

    @classmethod
    def build(cls, users: dict[str, User], now: datetime) -> Demo:
        """Everything the articles refer to: contact, topics, authors, photos, spokespersons."""
        ensure_press_contact(CONTENT["press_contact"])
        photos = {key: make_photo(key, spec) for key, spec in CONTENT["photos"].items()}
        return cls(
            writer=users["redaktion"],
            publisher=users["freigabe"],
            now=now,
            topics={
                name: Topic.objects.get_or_create(name=name, defaults={"description": text})[0]
                for name, text in CONTENT["topics"].items()
            },
            authors={
                name: Author.objects.get_or_create(name=name, defaults={"user": users.get(login)})[
                    0
                ]
                for name, login in CONTENT["authors"].items()
            },
            speakers={
                spec["name"]: ensure_spokesperson(spec, photos) for spec in CONTENT["spokespersons"]
            },
        )

    def load(self) -> int:
        """The articles and legal pages. Returns the number of articles created."""
        for spec in CONTENT["articles"]:
            self.create_article(spec)
        self.promote(until=self.today)
        for page in CONTENT["legal_pages"]:
            body = (DATA / page["file"]).read_text(encoding="utf-8")
            LegalPage.objects.get_or_create(
                kind=page["kind"],
                defaults={
                    "title": page["title"],
                    "body": body.replace("{date}", f"{self.today:%d.%m.%Y}"),
                },
            )
        return len(CONTENT["articles"])

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def when(self, moment: datetime | timedelta) -> datetime:
        if isinstance(moment, timedelta):
            today = timezone.localtime(self.now).replace(hour=10, minute=0, second=0, microsecond=0)
            return today + moment
        return moment

    def promote(self, until: date) -> None:
        """Promotions (demo.toml) that have happened by `until`."""
        for spec in CONTENT["spokespersons"]:
            change, person = spec.get("promoted"), self.speakers[spec["name"]]
            if change and change["on"] <= until and person.function != change["function"]:
                person.function = change["function"]
                person.save(update_fields=["function"])

    def create_article(self, spec: dict) -> Article:
        """The article of a release file, taken through its timeline."""
        first, *rest = timeline(spec)
        release = parse_release(decode((DATA / spec["file"]).read_bytes()), self.speakers)
        published = spec.get("published")
        if release.date and published and release.date != published.date():
            raise ValueError(f"{spec['file']} is dated {release.date}, demo.toml says {published}")
        # What the importer matches (releases.importing.import_release), without its source
        # hash: these articles were written here, not imported, and importing their export
        # later must give a copy.
        warnings: list[str] = []
        article, photos = unsaved_article(release, self.writer, warnings)
        if len(photos) != len(release.captions):
            raise ValueError(f"{spec['file']}: a caption matches no photo of demo.toml")
        self.promote(until=self.when(first.at).date())
        self.take_step(article, first)  # write: the article needs an id before it gets relations
        article.photos.set(photos[1:])
        article.topics.set([self.topics[name] for name in spec["topics"]])
        article.authors.set([self.authors[name] for name in spec["authors"]])
        add_quotes(article, release.quotes, self.writer, warnings)
        for step in rest:
            self.take_step(article, step)
        date_article(article)
        return article

    def take_step(self, article: Article, step: Step) -> None:
        """Do `step` through the workflow, as the person whose job it is, then date it."""
        # Four-eyes rule: the Redaktion account writes, the Freigabe account publishes. Correcting
        # a public article needs the correct_article permission: Freigabe has it.
        match step.action:
            case "write":
                article.edit(by=self.writer)
            case "submit":
                article.submit(by=self.writer)
            case "return":
                article.return_to_draft(by=self.publisher, comment=step.text)
            case "publish":
                at = step.at if step.publish_at is None else step.publish_at
                article.publish(by=self.publisher, at=self.when(at))
            case "correct":
                wrong, right = step.fix
                if wrong not in article.lead + article.body:
                    raise ValueError(f"„{wrong}“ is not in „{article.title}“")
                article.lead = article.lead.replace(wrong, right)
                article.body = article.body.replace(wrong, right)
                article.edit(by=self.publisher, change_note=step.text)
            case "withdraw":
                article.withdraw(by=self.publisher, reason=step.text)
            case _:
                raise ValueError(f"Unknown step: {step.action}")
        # The workflow records the time of loading; the demo's story spans years, so the entry
        # just written gets the time the step is meant to have happened.
        event = article.events.order_by("-id").first()
        ArticleEvent.objects.filter(pk=event.pk).update(at=self.when(step.at))


def date_article(article: Article) -> None:
    """Align the article's own timestamps with its (backdated) history."""
    events = list(article.events.order_by("at", "id"))

    def last(action: str) -> datetime | None:
        return max((event.at for event in events if event.action == action), default=None)

    Article.objects.filter(pk=article.pk).update(
        created_at=events[0].at,
        updated_at=events[-1].at,
        corrected_at=last(ArticleEvent.Action.CORRECTED),
        withdrawn_at=last(ArticleEvent.Action.WITHDRAWN),
    )
    article.refresh_from_db()


def ensure_press_contact(fields: dict) -> PressContact:
    # Only one contact may be the default: an existing default stays one.
    is_default = not PressContact.objects.filter(is_default=True).exists()
    contact, _ = PressContact.objects.get_or_create(
        label=fields["label"], defaults={**fields, "is_default": is_default}
    )
    return contact


def ensure_spokesperson(spec: dict, photos: dict[str, Photo]) -> Spokesperson:
    person, _ = Spokesperson.objects.get_or_create(
        name=spec["name"],
        defaults={
            "function": spec["function"],
            "organisation": spec.get("organisation", ""),
            "portrait": photos.get(spec.get("portrait")),
        },
    )
    return person


def make_photo(key: str, spec: dict) -> Photo:
    photo = Photo(
        caption=spec["caption"],
        credit=spec["credit"],
        alt_text=spec["alt_text"],
        usage_rights=spec["usage_rights"],
    )
    # The name only gives the extension: photo_upload_to() chooses the stored name.
    photo.image.save(f"{key}.jpg", ContentFile(picture(spec["kind"], spec["label"])), save=False)
    photo.save()
    return photo
