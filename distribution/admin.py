"""The distribution lists in the admin: subscribers with their consent history, the
Vorab-Verteiler (Sperrfrist), and the delivery log per article.

Who sees what (permissions from migration distribution 0002_role_permissions):

- Freigabe and Administration see addresses: the subscribers (read-only, with their consent
  history; an unsubscription on the person's request is recorded as such), the consent
  history of every address, also after its erasure ("Einwilligungsnachweise", found by the
  whole address), the accredited list (they keep it), and the delivery log (one line per
  mail, "Fehlgeschlagene erneut senden").
- Redaktion sees counts only: the delivery log is shown to it as counts per article and
  occasion, and a single delivery's page is closed to it.

A subscriber's choices and consent are the person's own: they are changed by the person
(preferences page) and never edited here; only what the person asks for by other means (an
unsubscription by letter or phone) is done here, through `distribution.subscription`.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_tasks_db import DatabaseBackend

from press.kinds import Kind

from .models import AccreditedRecipient, ConsentRecord, Delivery, Subscriber, address_hashes
from .subscription import unsubscribe

VIA_ADMIN = "Verwaltung (auf Wunsch der Person)"
OCCASIONS = {
    "release": _("Mitteilung"),
    "correction": _("Korrektur"),
    "withdrawal": _("Rücknahme"),
    "advance": _("Vorab unter Sperrfrist"),
    "embargo-changed": _("Sperrfrist geändert"),
    "embargo-withdrawn": _("Vorab-Exemplar zurückgezogen"),
    "advance-correction": _("Korrektur (Vorab-Verteiler)"),
    "advance-withdrawal": _("Rücknahme (Vorab-Verteiler)"),
}
Status = Delivery.Status
WAITING = [Status.PENDING, Status.SENDING, Status.RETRYING]


def sees_addresses(user) -> bool:
    """Freigabe and Administration (who may view subscribers) see e-mail addresses; anyone
    else with access to the deliveries sees counts only."""
    return user.has_perm("distribution.view_subscriber")


def occasion_label(occasion: str) -> str:
    """ "advance:812" → "Vorab unter Sperrfrist"; an unknown prefix as it is."""
    return str(OCCASIONS.get(occasion.partition(":")[0], occasion))


def person_name(user) -> str:
    """A staff account as its name (or user name), "—" for none."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows rows and changes none."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ConsentRecordInline(ReadOnlyInline):
    """The consent history: the proof of consent (DSGVO Art. 7(1)), never edited."""

    model = ConsentRecord
    fields = ["at", "action", "wording_version", "method"]
    readonly_fields = fields


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    """The consent history of every address, also once the address has been erased: the proof
    of consent (DSGVO Art. 7(1)), read-only for everyone. The records keep a keyed hash of the
    address, not the address; the search takes a whole address and finds its records by that
    hash (`address_hashes()`, also under the keys of SECRET_KEY_FALLBACKS)."""

    # The list and a record's page show the same: everything a record holds.
    shown = ("at", "action", "address", "wording_version", "method")
    list_display = fields = readonly_fields = shown
    list_filter = ["action"]
    list_select_related = ["subscriber"]
    # The search box shows when search_fields is set; get_search_results() does the search.
    search_fields = ["email_hash"]
    search_help_text = _(
        "Die vollständige E-Mail-Adresse: zeigt ihren Verlauf, auch nach der Löschung der Adresse."
    )
    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        """The records of the address `search_term` (case and surrounding spaces ignored)."""
        if not search_term.strip():
            return queryset, False
        return queryset.filter(email_hash__in=address_hashes(search_term)), False

    @admin.display(description=_("Adresse"))
    def address(self, record: ConsentRecord) -> str:
        if record.subscriber is None:
            return gettext("gelöscht (nur als Prüfsumme)")
        return record.subscriber.email

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "medium", "state", "choices", "confirmed_at"]
    list_filter = ["state", "all_topics", "topics"]
    search_fields = ["email", "name", "medium"]
    fields = [
        "email", "name", "medium", "state", "choices", "created_at", "confirmed_at",
        "unsubscribed_at", "hard_bounces",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [ConsentRecordInline]
    actions = ["unsubscribe_selected"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description=_("Auswahl"))
    def choices(self, subscriber: Subscriber) -> str:
        """Topics ("alle Themen" or their names) and kinds, in words."""
        topics = (
            gettext("alle Themen")
            if subscriber.all_topics
            else ", ".join(topic.name for topic in subscriber.topics.all()) or "—"
        )
        labels = dict(Kind.choices)
        kinds = ", ".join(str(labels.get(kind, kind)) for kind in subscriber.kinds or [])
        return f"{topics}; {kinds or '—'}"

    def has_add_permission(self, request):
        # Only the person subscribes (double opt-in, with their own consent).
        return False

    @admin.action(description=_("Auf Wunsch der Person abmelden"), permissions=["change"])
    def unsubscribe_selected(self, request, queryset):
        done = 0
        for subscriber in queryset.exclude(state=Subscriber.State.UNSUBSCRIBED):
            unsubscribe(subscriber, method=VIA_ADMIN)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d Adresse abgemeldet.", "%(count)d Adressen abgemeldet.", done)
            % {"count": done},
            messages.SUCCESS,
        )


@admin.register(AccreditedRecipient)
class AccreditedRecipientAdmin(admin.ModelAdmin):
    list_display = ["name", "medium", "email", "active", "consent_on", "added_by_name"]
    list_filter = ["active"]
    search_fields = ["name", "email", "medium"]
    fields = [
        "name", "email", "medium", "consent", "consent_on", "active", "added_by_name", "added_at",
    ]  # fmt: skip
    readonly_fields = ["added_by_name", "added_at"]
    list_select_related = ["added_by"]

    @admin.display(description=_("eingetragen von"))
    def added_by_name(self, person: AccreditedRecipient) -> str:
        # A name, not a link: staff are not sent to account pages they may not open.
        return person_name(person.added_by)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)


def resend(deliveries) -> int:
    """Send the failed ones of `deliveries` (a Delivery queryset) again: back to pending with
    a fresh count of attempts, and the batch of each (article, occasion) queued at once
    (distribution.tasks.send_deliveries). The mail is written anew, so a delivery whose
    occasion no longer holds (the article withdrawn, the subscriber gone) is cancelled then.
    Returns how many were failed."""
    from .tasks import send_deliveries

    failed = deliveries.filter(status=Status.FAILED)
    batches = set(failed.values_list("article_id", "occasion"))
    count = failed.update(
        status=Status.PENDING, attempts=0, last_error="", claimed_at=None, next_attempt_at=None
    )
    for article_id, occasion in sorted(batches):
        if isinstance(send_deliveries.get_backend(), DatabaseBackend):
            send_deliveries.enqueue(article_id, occasion)  # in this transaction, as distribute()
        else:
            transaction.on_commit(partial(send_deliveries.enqueue, article_id, occasion))
    return count


class OccasionFilter(admin.SimpleListFilter):
    title = _("Anlass")
    parameter_name = "anlass"

    def lookups(self, request, model_admin):
        return list(OCCASIONS.items())

    def queryset(self, request, queryset):
        if self.value() in OCCASIONS:
            return queryset.filter(
                Q(occasion=self.value()) | Q(occasion__startswith=f"{self.value()}:")
            )
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    """The log of one article: the newest `ARTICLES` articles that have deliveries."""

    title = _("Artikel")
    parameter_name = "artikel"
    ARTICLES = 30

    def lookups(self, request, model_admin):
        rows = (
            Delivery.objects.values_list("article_id", "article__title")
            .distinct()
            .order_by("-article_id")[: self.ARTICLES]
        )
        return [(str(pk), title) for pk, title in rows]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isascii() and value.isdigit() and len(value) < 19:
            return queryset.filter(article_id=int(value))
        return queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The delivery log: for Freigabe and Administration one line per mail (filtered by
    article: `ArticleFilter`, or ?article__id__exact=<id>), for Redaktion the counts per
    article (`counts_view`)."""

    list_display = ["article_title", "occasion_name", "email", "status", "attempts", "sent_at"]
    list_filter = ["status", OccasionFilter, ArticleFilter]
    search_fields = ["email", "article__title"]
    list_select_related = ["article"]
    fields = [
        "article", "occasion", "email", "status", "attempts", "last_error", "created_at",
        "sent_at", "next_attempt_at",
    ]  # fmt: skip
    readonly_fields = fields
    actions = ["resend_failed"]
    change_list_template = "admin/distribution/delivery/change_list.html"
    list_per_page = 100

    @admin.display(description=_("Artikel"), ordering="article__title")
    def article_title(self, delivery: Delivery) -> str:
        return delivery.article.title

    @admin.display(description=_("Anlass"), ordering="occasion")
    def occasion_name(self, delivery: Delivery) -> str:
        return occasion_label(delivery.occasion)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the record of what was sent

    def has_view_permission(self, request, obj=None):
        if obj is not None and not sees_addresses(request.user):
            return False
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # "change" is the right to resend; a delivery's page stays read-only.
        return super().has_change_permission(request, obj) and sees_addresses(request.user)

    @admin.action(description=_("Fehlgeschlagene erneut senden"), permissions=["change"])
    def resend_failed(self, request, queryset):
        count = resend(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d fehlgeschlagene Zustellung wird erneut gesendet.",
                "%(count)d fehlgeschlagene Zustellungen werden erneut gesendet.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.counts_view)
        return [
            path("je-artikel/", view, name="distribution_delivery_counts"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not sees_addresses(request.user):
            return self.counts_view(request)
        extra_context = {
            **(extra_context or {}),
            "counts_url": reverse("admin:distribution_delivery_counts"),
        }
        return super().changelist_view(request, extra_context)

    def counts_view(self, request: HttpRequest) -> HttpResponse:
        """Per article and occasion: how many mails were sent, wait, failed or were not sent;
        newest article first, 50 lines a page. No address appears here."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = (
            Delivery.objects.values("article_id", "article__title", "occasion")
            .annotate(
                sent=Count("pk", filter=Q(status=Status.SENT)),
                waiting=Count("pk", filter=Q(status__in=WAITING)),
                failed=Count("pk", filter=Q(status=Status.FAILED)),
                cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
            )
            .order_by("-article_id", "occasion")
        )
        page = Paginator(rows, 50).get_page(request.GET.get("p"))
        link = sees_addresses(request.user)
        log = reverse("admin:distribution_delivery_changelist")
        for row in page:
            row["label"] = occasion_label(row["occasion"])
            if link:
                query = {"article__id__exact": row["article_id"], "occasion": row["occasion"]}
                row["url"] = f"{log}?{urlencode(query)}"
        return TemplateResponse(
            request,
            "admin/distribution/delivery/counts.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Zustellungen je Artikel"),
                "page": page,
                "subscribers": Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).count(),
                "accredited": AccreditedRecipient.objects.filter(active=True).count(),
                "log_url": log if link else "",
            },
        )
