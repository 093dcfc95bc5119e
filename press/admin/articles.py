"""The article in the admin: list, form, workflow steps, preview and revisions. Thin: every
decision is the article's (`Article.allowed_actions()`, `can_edit()`, `edit()`, the steps)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from press.diff import revision_diff
from press.models import Article, ArticleEvent, ConcurrentEditError, Quote
from press.models.articles import WORK_ORDERING, work_order
from press.models.editorial import REOPENED_NOTE
from press.sanitize import comparable, sanitize_html
from press.workflow import MISSING_PERMISSION, STEPS, Stage

from .forms import ArticleAdminForm, WorkflowForm
from .widgets import AutocompleteAdminMixin

# The steps whose page shows the approver what they review.
REVIEW_STEPS = ("publish", "publish_with_original_date", "return_to_draft")


def error_text(error: Exception) -> str:
    """The sentence(s) of a refused step or edit, for a message or form error."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(MISSING_PERMISSION)


class QuoteInline(AutocompleteAdminMixin, admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["spokesperson", "text", "function", "position"]


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    verbose_name_plural = _("Verlauf")
    extra = 0
    can_delete = False
    # The person as a name, not a link: staff must not be sent to account pages they may
    # not open.
    fields = ["at", "action", "from_state", "to_state", "person", "comment"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    @admin.display(description=_("durch"))
    def person(self, event: ArticleEvent) -> str:
        if event.by is None:
            return gettext("System")
        return event.by.get_full_name() or event.by.get_username()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class StageFilter(admin.SimpleListFilter):
    """Status: the stages of `press.workflow.Stage`, "scheduled" and "public" included."""

    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Stage.choices

    def queryset(self, request, queryset):
        if self.value() in Stage.values:
            return queryset.in_stage(self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/press/article/change_form.html"
    list_display = ["title", "state_label", "publish_at", "kind", "author_names", "topic_names"]
    list_filter = [StageFilter, "kind", "topics", "authors"]
    search_fields = ["title", "kicker", "lead"]
    date_hierarchy = "publish_at"
    list_select_related = ["press_contact"]
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ["topics", "authors", "lead_photo", "photos", "press_contact"]
    readonly_fields = [
        "body_rendered",
        "state_label",
        "publish_at",
        "release_date",
        "public_link",
        "change_note",
        "withdrawal_reason",
    ]
    inlines = [QuoteInline, ArticleEventInline]
    # No bulk "publish": publishing is of the version an approver has reviewed on the
    # article's review page (workflow_view), never of a list of titles.
    actions = ["submit_selected", "delete_selected"]

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        # Read-only, the body is shown as the text it is, not as its HTML source.
        body = "body" if editable else "body_rendered"
        fieldsets = [
            (None, {"fields": ["kind", "kicker", "title", "lead", body]}),
            (_("Fotos"), {"fields": ["lead_photo", "photos"]}),
            (_("Zuordnung"), {"fields": ["topics", "authors", "press_contact"]}),
            (_("Erweitert"), {"classes": ["collapse"], "fields": ["slug"]}),
        ]
        if obj is not None:
            status = ["state_label", "publish_at", "public_link"]
            if obj.release_date:
                status.insert(2, "release_date")
            status += [name for name in ("change_note", "withdrawal_reason") if getattr(obj, name)]
            fieldsets.insert(3, (_("Status"), {"fields": status}))
        if editable:
            # Non-model form fields exist only on the editable form.
            fieldsets[-1][1]["fields"] += ["loaded_version", "loaded_revision"]
            if obj is not None and obj.needs_change_note():
                correction = ["correction_note", "notify_distribution_list"]
                fieldsets.insert(0, (_("Korrektur"), {"fields": correction}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.slug_is_frozen():
            fields.append("slug")
        return fields

    def get_queryset(self, request):
        # Work in progress first (drafts, then reviews), then the archive, newest first.
        # As ModelAdmin.get_queryset(), with the annotation in place before the ordering.
        queryset = self.model._default_manager.annotate(work_order=work_order())
        return queryset.prefetch_related("authors", "topics").order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # The columns of the index article_work_order, the key last: the admin would add
        # "-pk" itself, but only after the ordering, which is what the index holds.
        return ["work_order", *WORK_ORDERING]

    @admin.display(description=_("Text"))
    def body_rendered(self, article: Article) -> str:
        # Stored bodies are sanitised on save; sanitising again keeps this safe on its own.
        return mark_safe(sanitize_html(article.body))  # noqa: S308

    def get_changelist_instance(self, request):
        # The date hierarchy's ?publish_at__year=1 is year 0 in UTC and 9999-12-31 has no next
        # day: Django 5.2 lets that OverflowError through, where it treats a day that does not
        # exist (ValueError) as a wrong filter and sends the list back to "?e=1".
        try:
            return super().get_changelist_instance(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def view_on_site(self, article: Article) -> str | None:
        """The "Auf der Website anzeigen" link, only where the public can see the article."""
        return article.get_absolute_url() if article.is_public() else None

    @admin.display(description=_("Status"), ordering="state")
    def state_label(self, article: Article) -> str:
        if article.is_scheduled():
            return format_html(
                "{} <small>({})</small>",
                gettext("Sperrfrist"),
                timezone.localtime(article.publish_at).strftime("%d.%m.%Y %H:%M"),
            )
        return article.get_state_display()

    @admin.display(description=_("Autor/innen"))
    def author_names(self, article: Article) -> str:
        return ", ".join(author.name for author in article.authors.all())

    @admin.display(description=_("Themen"))
    def topic_names(self, article: Article) -> str:
        return ", ".join(topic.name for topic in article.topics.all())

    @admin.display(description=_("Öffentliche Adresse"))
    def public_link(self, article: Article) -> str:
        if not article.is_public():
            return "—"
        url = article.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    # --- permissions: the model decides --------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return obj.can_edit(request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return super().has_delete_permission(request)
        return obj.can_delete(request.user)

    def has_submit_permission(self, request):
        return request.user.has_perm(f"press.{STEPS['submit'].permission}")

    # --- saving through the model's rules ------------------------------------------------

    def _create_formsets(self, request, obj, change):
        # The quotes are public content: the form must know before it validates whether they
        # changed (a correction note is required then), and Django creates the formsets
        # before it validates the form. The form is the one whose instance is `obj`.
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        obj._quote_formsets = [formset for formset in formsets if formset.model is Quote]
        return formsets, inline_instances

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class FormWithInlines(form_class):
            def full_clean(self):
                formsets = getattr(self.instance, "_quote_formsets", [])
                self.inline_changes = ["quotes"] if any(f.has_changed() for f in formsets) else []
                super().full_clean()

        return FormWithInlines

    def save_model(self, request, obj, form, change):
        if not change:
            obj.edit(by=request.user)
        # A change is saved in save_related(), when the quotes are known as well.

    def save_related(self, request, form, formsets, change):
        if change and form.real_changes():
            # One edit for the fields and the quotes: it claims the article's version (a copy
            # loaded before this save is refused) and decides whether this is a correction
            # (public), a change that takes a scheduled article back to review, or an edit.
            stage = form.instance.stage()
            form.instance.edit(
                by=request.user,
                change_note=form.cleaned_data.get("correction_note", ""),
                notify_distribution_list=form.cleaned_data.get("notify_distribution_list", False),
                related_changes=[
                    name for name in form.public_changes() if name in ("photos", "quotes")
                ],
            )
            if form.instance.stage() != stage:
                self.message_user(request, str(REOPENED_NOTE), messages.WARNING)
        super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        obj.delete_by(request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            article.delete_by(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ConcurrentEditError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        conflict = getattr(context.get("adminform") and context["adminform"].form, "conflict", None)
        if obj is not None and conflict:
            revisions = {
                revision.history_id: revision
                for revision in obj.history.filter(
                    history_id__in=[conflict["loaded_revision"], conflict["current_revision"]]
                )
            }
            context["conflict_changes"] = revision_diff(
                revisions.get(conflict["loaded_revision"]),
                revisions.get(conflict["current_revision"]),
            )
        if obj is not None:
            context["return_event"] = obj.pending_return()
            context["workflow_actions"] = [
                (name, STEPS[name].label) for name in obj.allowed_actions(request.user)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions ---------------------------------------------------------------------

    @admin.action(description=_("Ausgewählte Artikel löschen"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's delete with its confirmation page, but an article the user may not delete
        is named with the reason (a published one is withdrawn, not deleted) and nothing is
        deleted, instead of a refusal that names no article."""
        refused = [article for article in queryset if not article.can_delete(request.user)]
        for article in refused:
            reason = (
                gettext("ist veröffentlicht worden: bitte zurückziehen statt löschen.")
                if article.has_been_public()
                else gettext("dürfen Sie nicht löschen.")
            )
            self.message_user(request, f"„{article.title}“ {reason}", messages.ERROR)
        if refused:
            return None
        return delete_selected(self, request, queryset)

    @admin.action(description=_("Ausgewählte zur Freigabe einreichen"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, lambda article: article.submit(by=request.user))

    def _bulk(self, request, queryset, move) -> None:
        done = 0
        for article in queryset:
            try:
                with transaction.atomic():
                    move(article)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(
                    request, f"„{article.title}“: {error_text(error)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("%(count)d Artikel geändert.") % {"count": done}, messages.SUCCESS
            )

    # --- sub-pages of an article ----------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="press_article_preview"),
            path(
                "<int:pk>/workflow/<str:action>/",
                wrap(self.workflow_view),
                name="press_article_workflow",
            ),
            path("<int:pk>/revisions/", wrap(self.revisions_view), name="press_article_revisions"),
            *super().get_urls(),
        ]

    def article_or_403(self, request: HttpRequest, pk: int) -> Article:
        """The article `pk` if the user may see it in the admin; 404 or PermissionDenied."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def render_subpage(self, request: HttpRequest, template: str, **context) -> TemplateResponse:
        """An admin page of this model: the site's context, `opts`, and `context`."""
        return TemplateResponse(
            request,
            template,
            {**self.admin_site.each_context(request), "opts": self.opts, **context},
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self.article_or_403(request, pk)
        response = TemplateResponse(
            request, "press/article_detail.html", {"article": article, "preview": True}
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def workflow_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in STEPS:
            raise Http404  # no such step: an address that does not exist
        article = self.article_or_403(request, pk)
        change_url = reverse("admin:press_article_change", args=[article.pk])
        form = WorkflowForm(action, request.POST or None, article=article)
        if request.method == "POST" and form.is_valid():
            try:
                getattr(article, action)(by=request.user, **form.step_arguments())
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, error_text(error))
                if "version" in form.fields:
                    # Shown again with what changed since: the next approval is of that.
                    form.data = form.data.copy()
                    form.data["version"] = article.version
            else:
                self.message_user(
                    request,
                    gettext("„%(title)s“: %(action)s.")
                    % {
                        "title": article.title,
                        "action": article.events.first().get_action_display(),
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return self.render_subpage(
            request,
            "admin/press/article/workflow.html",
            title=form.title,
            article=article,
            form=form,
            change_url=change_url,
            allowed=action in article.allowed_actions(request.user),
            review=self.review_context(article) if action in REVIEW_STEPS else None,
        )

    def review_context(self, article: Article) -> dict:
        """What an approver reviews: the content now against the last approved (published or
        scheduled) revision, word by word, and the preview of exactly this version."""
        revisions = article.history.order_by("-history_id")
        current = revisions.first()
        approved = revisions.filter(history_change_reason__in=ArticleEvent.APPROVAL_ACTIONS).first()
        return {
            "approved": approved,
            "changes": revision_diff(approved, current),
            "preview_url": reverse("admin:press_article_preview", args=[article.pk]),
            "version": article.version,
        }

    def revisions_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Every saved state of the article (django-simple-history), newest first, each with
        what changed; an earlier one can be restored, as an edit under the workflow's rules."""
        article = self.article_or_403(request, pk)
        change_url = reverse("admin:press_article_change", args=[article.pk])
        revisions = list(article.history.select_related("history_user").order_by("-history_id"))
        actions = dict(ArticleEvent.Action.choices)
        for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
            newer.reason = actions.get(newer.history_change_reason or "", "")
            newer.older_id = older.history_id if older else None
            newer.changed_fields = (
                [
                    Article._meta.get_field(change.field).verbose_name
                    for change in newer.diff_against(older).changes
                    # CKEditor's re-serialised body is no change a reader could see.
                    if comparable(change.old) != comparable(change.new)
                ]
                if older
                else []
            )
        compared = self.compared_revisions(request, revisions)
        error = ""
        if request.method == "POST":
            revision_id = request.POST.get("revision", "")
            if not revision_id.isascii() or not revision_id.isdigit():
                raise Http404  # no revision has that key; the database would refuse it
            revision = get_object_or_404(article.history, history_id=revision_id)
            try:
                notes = article.restore(
                    revision, by=request.user, change_note=request.POST.get("change_note", "")
                )
            except (PermissionDenied, ValidationError) as exception:
                error = error_text(exception)
            else:
                self.message_user(
                    request,
                    gettext("Die Fassung vom %(date)s ist wiederhergestellt.")
                    % {
                        "date": formats.date_format(
                            timezone.localtime(revision.history_date), "DATETIME_FORMAT"
                        )
                    },
                    messages.SUCCESS,
                )
                for note in notes:
                    self.message_user(request, note, messages.WARNING)
                return HttpResponseRedirect(change_url)
        return self.render_subpage(
            request,
            "admin/press/article/revisions.html",
            title=gettext("Fassungen von „%(title)s“") % {"title": article.title},
            article=article,
            revisions=revisions,
            change_url=change_url,
            can_restore=article.can_edit(request.user),
            needs_change_note=article.needs_change_note(),
            error=error,
            compared=compared,
        )

    def compared_revisions(self, request: HttpRequest, revisions: list) -> dict | None:
        """The word diff between the revisions `?a=` (older) and `?b=` (newer), history ids of
        this article's `revisions`; None without both, 404 for ids not among them."""
        if "a" not in request.GET and "b" not in request.GET:
            return None
        by_id = {str(revision.history_id): revision for revision in revisions}
        older, newer = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
        if older is None or newer is None:
            raise Http404
        if older.history_date > newer.history_date:
            older, newer = newer, older
        return {"older": older, "newer": newer, "changes": revision_diff(older, newer)}
