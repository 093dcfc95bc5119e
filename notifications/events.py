"""Who is told of which step of an article, and what the mail says.

`NOTICES` maps each action of the article's history (`ArticleEvent.Action`) that concerns
someone to its `Notice`: the kind (`Kind`, which each person may switch off), who is told, the
sentence, and the admin page of the next step. Steps not in it (created, edited, corrected,
restored) tell nobody. Every mail is German plain text, one per person, queued through
`mailing.outbox.send_later()`; links are absolute on settings.SITE_URL, and a public address
is given only for an article that is public when the mail is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mailing.outbox import send_later
from press.models import Article, ArticleEvent

from .models import Kind, NotificationPreference

logger = logging.getLogger("newsroom.mail")

APPROVERS = "approvers"
AUTHORS = "authors"
AUTHORS_AND_APPROVER = "authors_and_approver"

# with_perm() asks one authentication backend: the permissions are Django's ModelBackend's
# (django-axes' backend, also configured, holds none).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Notice:
    """One kind of workflow mail.

    `kind` is the preference that switches it off; `audience` one of APPROVERS (everyone who
    may publish), AUTHORS (the article's authors with an account and its creator) or
    AUTHORS_AND_APPROVER (those and the person who approved the step); `headline` goes into the
    subject, `sentence` opens the text (placeholders %(actor)s, %(title)s, %(publish_at)s);
    `comment_label` names the step's comment; `next_label` names the admin page linked, the
    review page when `review` is set, else the article's change form."""

    kind: Kind
    audience: str
    headline: Promise
    sentence: Promise
    next_label: Promise
    comment_label: Promise = _("Kommentar")
    review: bool = False


Action = ArticleEvent.Action

NOTICES: dict[str, Notice] = {
    Action.SUBMITTED: Notice(
        Kind.SUBMITTED,
        APPROVERS,
        _("Zur Freigabe eingereicht"),
        _("%(actor)s hat den Artikel „%(title)s“ zur Freigabe eingereicht."),
        _("Prüfen und freigeben"),
        review=True,
    ),
    # A scheduled article whose content changed is back in review: for Freigabe the same as
    # a submission (press/models/editorial.py, `edit()`).
    Action.REOPENED: Notice(
        Kind.SUBMITTED,
        APPROVERS,
        _("Nach Änderung erneut zur Freigabe"),
        _(
            "%(actor)s hat den mit Sperrfrist freigegebenen Artikel „%(title)s“ geändert; er "
            "muss erneut freigegeben werden."
        ),
        _("Prüfen und freigeben"),
        review=True,
    ),
    Action.RETURNED: Notice(
        Kind.RETURNED,
        AUTHORS,
        _("An die Redaktion zurückgegeben"),
        _("%(actor)s hat den Artikel „%(title)s“ an die Redaktion zurückgegeben."),
        _("Überarbeiten"),
        comment_label=_("Was muss geändert werden?"),
    ),
    Action.PUBLISHED: Notice(
        Kind.PUBLISHED,
        AUTHORS,
        _("Veröffentlicht"),
        _("%(actor)s hat den Artikel „%(title)s“ veröffentlicht."),
        _("Artikel im Verwaltungsbereich"),
    ),
    Action.SCHEDULED: Notice(
        Kind.SCHEDULED,
        AUTHORS,
        _("Mit Sperrfrist freigegeben"),
        _(
            "%(actor)s hat den Artikel „%(title)s“ mit Sperrfrist freigegeben; er wird am "
            "%(publish_at)s öffentlich."
        ),
        _("Artikel im Verwaltungsbereich"),
    ),
    Action.WITHDRAWN: Notice(
        Kind.WITHDRAWN,
        AUTHORS,
        _("Zurückgezogen"),
        _("%(actor)s hat den Artikel „%(title)s“ zurückgezogen."),
        _("Artikel im Verwaltungsbereich"),
        comment_label=_("Öffentlicher Grund der Rücknahme"),
    ),
}

WENT_LIVE = Notice(
    Kind.WENT_LIVE,
    AUTHORS_AND_APPROVER,
    _("Jetzt öffentlich"),
    _(
        "Die Sperrfrist ist abgelaufen: der Artikel „%(title)s“ ist seit %(publish_at)s "
        "öffentlich (freigegeben von %(actor)s)."
    ),
    _("Artikel im Verwaltungsbereich"),
)


def staff() -> QuerySet:
    """Accounts that can act on a workflow mail: active, admin access, an e-mail address."""
    return get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")


def approvers_q() -> Q:
    """Everyone who holds press.publish_article (by role, own permission or as superuser)."""
    holders = get_user_model().objects.with_perm("press.publish_article", backend=MODEL_BACKEND)
    return Q(pk__in=holders.values("pk"))


def authors_q(article: Article) -> Q:
    """The article's authors that have an account (`press.Author.user`) and its creator."""
    return Q(pk__in=article.authors.filter(user__isnull=False).values("user")) | Q(
        pk=article.created_by_id
    )


def recipients(notice: Notice, event: ArticleEvent, *, actor_id: int | None) -> list:
    """The people `notice` about `event` goes to, each once, without the one who took the
    step (`actor_id`) and without those who switched its kind off; ordered by id."""
    if notice.audience == APPROVERS:
        wanted = approvers_q()
    else:
        wanted = authors_q(event.article)
        if notice.audience == AUTHORS_AND_APPROVER and event.by_id is not None:
            wanted |= Q(pk=event.by_id)
    people = staff().filter(wanted)
    if actor_id is not None:
        people = people.exclude(pk=actor_id)
    people = list(people.order_by("pk"))
    off = NotificationPreference.switched_off([person.pk for person in people], notice.kind)
    return [person for person in people if person.pk not in off]


def display_name(user) -> str:
    """How a mail names a person: full name, else the user name ("Jemand" for nobody)."""
    if user is None:
        return gettext("Jemand")
    return user.get_full_name() or user.get_username()


def absolute(path: str) -> str:
    """`path` (from reverse()) as an absolute address on settings.SITE_URL: a mail is read
    outside any request, so the host comes from the setting, never from a request."""
    return f"{settings.SITE_URL}{path}"


def compose(notice: Notice, event: ArticleEvent, person) -> tuple[str, str]:
    """The subject and plain-text body of `notice` about `event` for `person`, in the site's
    language (settings.LANGUAGE_CODE)."""
    article = event.article
    # A title is one line in the subject, whatever was typed or imported.
    title = " ".join(article.title.split())
    when = ""
    if article.publish_at:
        local = timezone.localtime(article.publish_at)
        when = gettext("%(date)s um %(time)s Uhr") % {
            "date": formats.date_format(local, "DATE_FORMAT"),
            "time": formats.time_format(local, "TIME_FORMAT"),
        }
    facts = {"actor": display_name(event.by), "title": title, "publish_at": when}
    next_url = absolute(
        reverse("admin:press_article_workflow", args=[article.pk, "publish"])
        if notice.review
        else reverse("admin:press_article_change", args=[article.pk])
    )
    lines = [
        gettext("Guten Tag %(name)s,") % {"name": display_name(person)},
        "",
        str(notice.sentence) % facts,
        "",
    ]
    if event.comment.strip():
        lines += [f"{notice.comment_label}:", event.comment.strip(), ""]
    lines += [f"{notice.next_label}:", next_url, ""]
    # Never the public address of what the public cannot see ("public = published and due").
    if article.is_public():
        lines += [gettext("Öffentliche Adresse:"), absolute(article.get_absolute_url()), ""]
    lines += [
        "-- ",
        gettext(
            "Diese Nachricht hat %(site)s automatisch versandt. Welche Benachrichtigungen Sie "
            "erhalten, stellen Sie hier ein:"
        )
        % {"site": settings.SITE_NAME},
        absolute(reverse("notification_preferences")),
    ]
    subject = f"[{settings.SITE_NAME}] {notice.headline}: {title}"
    return subject, "\n".join(lines) + "\n"


def tell(notice: Notice, event: ArticleEvent, *, actor_id: int | None) -> int:
    """Queue `notice` about `event` for each of its recipients; returns how many mails were
    queued. An address the mail pipeline refuses (ValueError, e.g. a line break) is logged
    and skipped; the others still go."""
    queued = 0
    with translation.override(settings.LANGUAGE_CODE):
        for person in recipients(notice, event, actor_id=actor_id):
            subject, body = compose(notice, event, person)
            try:
                send_later(person.email, subject, body, kind=f"notification_{notice.kind}")
            except ValueError:
                logger.exception("notification to user %s could not be queued", person.pk)
                continue
            queued += 1
    return queued


def notify(event_id: int) -> int:
    """Tell the people concerned by the history entry `event_id` (an `ArticleEvent` primary
    key), after its step has committed; returns how many mails were queued. Scheduling also
    queues the announcement of the minute the article goes live (`tasks.announce_went_live`).
    An entry that is gone, or of a step that concerns nobody, is a no-op."""
    from .tasks import expect_going_live

    event = ArticleEvent.objects.select_related("article", "by").filter(pk=event_id).first()
    if event is None or event.action not in NOTICES:
        return 0
    article = event.article
    if event.action == Action.SCHEDULED and (
        article.state != article.State.PUBLISHED or article.publish_at is None
    ):
        # Returned or withdrawn in the same transaction: there is no Sperrfrist to tell of,
        # and the later step tells its own news.
        return 0
    queued = tell(NOTICES[event.action], event, actor_id=event.by_id)
    if event.action == Action.SCHEDULED:
        expect_going_live(event)
    return queued
