"""The editors' and approvers' workplace. Configuration plus thin views that call model methods."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .exporter import export_filename, export_pdf, export_text
from .import_service import ImportOutcome, import_file
from .importer import MAX_BYTES
from .models import (
    Article,
    ArticleEvent,
    Author,
    ConcurrentEditError,
    LegalPage,
    Photo,
    PressContact,
    Quote,
    RolePolicy,
    Spokesperson,
    Topic,
)
from .photos import PhotoUploadField
from .roles import ROLE_NAMES

admin.site.site_header = _("Pressestelle KoBa Harz")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Redaktion und Freigabe")


class ArticleAdminForm(forms.ModelForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction_note = forms.CharField(
        label=_("Korrekturhinweis (öffentlich)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Pflicht bei Änderungen an einem öffentlichen Artikel. Erscheint als "
            "„Aktualisiert am …“ unter der Überschrift."
        ),
    )

    class Meta:
        model = Article
        fields = [
            "kind", "kicker", "title", "slug", "lead", "body", "lead_photo", "photos",
            "topics", "authors", "press_contact",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"style": "width: 100%; max-width: 48em"}),
            "kicker": forms.TextInput(attrs={"style": "width: 100%; max-width: 30em"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if not self.instance.is_public():
            del self.fields["correction_note"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            loaded = cleaned.get("loaded_version") or self.instance.version
            current = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if current and current[0] != loaded:
                raise ValidationError(
                    _(
                        "Dieser Artikel wurde inzwischen von jemand anderem gespeichert. Ihre "
                        "Änderungen wurden nicht übernommen. Öffnen Sie den Artikel in einem neuen "
                        "Tab, übertragen Sie Ihre Änderungen und speichern Sie dort."
                    ),
                    code="stale",
                )
            # The model's conditional UPDATE guards the moment between this check and the save.
            self.instance.version = loaded
        if "correction_note" in self.fields and not cleaned.get("correction_note", "").strip():
            self.add_error(
                "correction_note",
                _("Bitte beschreiben Sie die Korrektur; der Hinweis wird öffentlich angezeigt."),
            )
        return cleaned


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files at once and cleans each of them."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data]
        # No file at all is cleaned as None, which gives the "required" error.
        return [super(MultipleFileField, self).clean(file, initial) for file in files or [None]]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Dateien"),
        widget=MultipleFileInput(attrs={"accept": ".txt,text/plain"}),
        allow_empty_file=True,  # the importer names an empty file among the results
        help_text=_(
            "Eine oder mehrere Pressemitteilungen als Textdatei (UTF-8 oder Windows-1252). "
            "Sie werden als Entwürfe angelegt; dieselbe Datei zweimal legt nichts Neues an."
        ),
    )


class WorkflowForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    publish_at = forms.DateTimeField(
        label=_("Veröffentlichen am (Sperrfrist)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leer lassen, um sofort zu veröffentlichen. Zeit in Europe/Berlin."),
    )

    LABELS = {
        "submit": (_("Zur Freigabe einreichen"), _("Kommentar für die Freigabe (optional)")),
        "return_to_draft": (_("An die Redaktion zurückgeben"), _("Was muss geändert werden?")),
        "publish": (_("Veröffentlichen"), _("Kommentar (optional)")),
        "withdraw": (_("Zurückziehen"), _("Öffentlicher Grund der Rücknahme")),
    }

    def __init__(self, action: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["comment"].label = self.LABELS[action][1]
        self.fields["comment"].required = action in {"return_to_draft", "withdraw"}
        if action != "publish":
            del self.fields["publish_at"]

    @property
    def title(self):
        return self.LABELS[self.action][0]

    def clean_publish_at(self):
        publish_at = self.cleaned_data.get("publish_at")
        # Backdating would slip an approval into the archive's past; only imports may do that.
        if publish_at and publish_at < timezone.now() - timedelta(minutes=1):
            raise ValidationError(_("Der Zeitpunkt liegt in der Vergangenheit."), code="past")
        return publish_at


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    autocomplete_fields = ["spokesperson"]
    fields = ["spokesperson", "text", "function", "position"]


class ArticleEventInline(admin.TabularInline):
    model = ArticleEvent
    verbose_name_plural = _("Verlauf")
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "by", "comment"]
    readonly_fields = fields
    ordering = ["-at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class StateFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Entwurf")),
            ("in_review", _("In Prüfung")),
            ("scheduled", _("Mit Sperrfrist")),
            ("public", _("Öffentlich")),
            ("withdrawn", _("Zurückgezogen")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "scheduled":
            return queryset.filter(state=Article.State.PUBLISHED, publish_at__gt=now)
        if value == "public":
            return queryset.published(now)
        if value in {"draft", "in_review", "withdrawn"}:
            return queryset.filter(state=value)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/press/article/change_form.html"
    list_display = ["title", "state_label", "publish_at", "kind", "author_names", "topic_names"]
    list_filter = [StateFilter, "kind", "topics", "authors"]
    search_fields = ["title", "kicker", "lead"]
    date_hierarchy = "publish_at"
    list_select_related = ["press_contact"]
    list_per_page = 50
    show_full_result_count = False
    autocomplete_fields = ["topics", "authors", "lead_photo", "photos", "press_contact"]
    readonly_fields = [
        "state_label",
        "publish_at",
        "public_link",
        "change_note",
        "withdrawal_reason",
    ]
    inlines = [QuoteInline, ArticleEventInline]
    actions = ["submit_selected", "publish_selected"]

    def get_fieldsets(self, request, obj=None):
        editable = obj is None or self.has_change_permission(request, obj)
        fieldsets = [
            (None, {"fields": ["kind", "kicker", "title", "lead", "body"]}),
            (_("Fotos"), {"fields": ["lead_photo", "photos"]}),
            (_("Zuordnung"), {"fields": ["topics", "authors", "press_contact"]}),
            (_("Erweitert"), {"classes": ["collapse"], "fields": ["slug"]}),
        ]
        if obj is not None:
            status = ["state_label", "publish_at", "public_link"]
            status += [name for name in ("change_note", "withdrawal_reason") if getattr(obj, name)]
            fieldsets.insert(3, (_("Status"), {"fields": status}))
        if editable:
            # Non-model form fields exist only on the editable form.
            fieldsets[-1][1]["fields"].append("loaded_version")
            if obj is not None and obj.is_public():
                fieldsets.insert(0, (_("Korrektur"), {"fields": ["correction_note"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.has_been_public():
            fields.append("slug")
        return fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors", "topics")

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
        return request.user.has_perm("press.submit_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("press.publish_article")

    # --- saving through the model's rules ------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed():
            return
        obj.edit(by=request.user, change_note=form.cleaned_data.get("correction_note", ""))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        inline_changed = any(formset.has_changed() for formset in formsets)
        if change and inline_changed and not form.has_changed():
            form.instance.record(ArticleEvent.Action.EDITED, by=request.user)

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
        if obj is not None:
            context["workflow_actions"] = [
                (name, WorkflowForm.LABELS[name][0]) for name in obj.allowed_actions(request.user)
            ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- bulk actions ---------------------------------------------------------------------

    @admin.action(description=_("Ausgewählte zur Freigabe einreichen"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, lambda article: article.submit(by=request.user))

    @admin.action(description=_("Ausgewählte jetzt veröffentlichen"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, lambda article: article.publish(by=request.user))

    def _bulk(self, request, queryset, move) -> None:
        done = 0
        for article in queryset:
            try:
                with transaction.atomic():
                    move(article)
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"„{article.title}“: {_messages(error)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("%(count)d Artikel geändert.") % {"count": done}, messages.SUCCESS
            )

    # --- workflow and preview views -------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="press_article_preview"),
            path(
                "<int:pk>/workflow/<str:action>/",
                wrap(self.workflow_view),
                name="press_article_workflow",
            ),
            path("import/", wrap(self.import_view), name="press_article_import"),
            path("<int:pk>/revisions/", wrap(self.revisions_view), name="press_article_revisions"),
            path("<int:pk>/export.txt", wrap(self.export_view), name="press_article_export_txt"),
            path(
                "<int:pk>/export.pdf",
                wrap(self.export_view),
                {"file_format": "pdf"},
                name="press_article_export_pdf",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        response = TemplateResponse(
            request, "press/article_detail.html", {"article": article, "preview": True}
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        outcomes: list[ImportOutcome] = []
        if form.is_valid():
            outcomes = [
                # One byte more than allowed is enough for the importer to refuse a large file.
                import_file(upload.name, upload.read(MAX_BYTES + 1), user=request.user)
                for upload in form.cleaned_data["files"]
            ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Pressemitteilung importieren"),
            "form": form,
            "outcomes": outcomes,
        }
        return TemplateResponse(request, "admin/press/article/import.html", context)

    def export_view(self, request: HttpRequest, pk: int, file_format: str = "txt") -> HttpResponse:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if file_format == "pdf":
            response = HttpResponse(export_pdf(article), content_type="application/pdf")
        else:
            response = HttpResponse(export_text(article), content_type="text/plain; charset=utf-8")
        filename = export_filename(article, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def workflow_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in WorkflowForm.LABELS:
            raise PermissionDenied
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:press_article_change", args=[article.pk])
        form = WorkflowForm(action, request.POST or None)
        if request.method == "POST" and form.is_valid():
            kwargs = {"by": request.user}
            if action == "withdraw":
                kwargs["reason"] = form.cleaned_data["comment"]
            else:
                kwargs["comment"] = form.cleaned_data["comment"]
            if action == "publish":
                kwargs["at"] = form.cleaned_data.get("publish_at")
            try:
                getattr(article, action)(**kwargs)
            except (PermissionDenied, ValidationError) as error:
                form.add_error(None, _messages(error))
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": form.title,
            "article": article,
            "form": form,
            "change_url": change_url,
            "allowed": action in article.allowed_actions(request.user),
        }
        return TemplateResponse(request, "admin/press/article/workflow.html", context)

    def revisions_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Every saved state of the article (django-simple-history), newest first, each with
        what changed; an earlier one can be restored, as an edit under the workflow's rules."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:press_article_change", args=[article.pk])
        revisions = list(article.history.select_related("history_user").order_by("-history_id"))
        actions = dict(ArticleEvent.Action.choices)
        for newer, older in zip(revisions, [*revisions[1:], None], strict=True):
            newer.reason = actions.get(newer.history_change_reason or "", "")
            newer.changed_fields = (
                [
                    Article._meta.get_field(change.field).verbose_name
                    for change in newer.diff_against(older).changes
                ]
                if older
                else []
            )
        error = ""
        if request.method == "POST":
            revision = get_object_or_404(article.history, history_id=request.POST.get("revision"))
            try:
                article.restore(
                    revision, by=request.user, change_note=request.POST.get("change_note", "")
                )
            except (PermissionDenied, ValidationError) as exception:
                error = _messages(exception)
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
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Fassungen von „%(title)s“") % {"title": article.title},
            "article": article,
            "revisions": revisions,
            "change_url": change_url,
            "can_restore": article.can_edit(request.user),
            "needs_change_note": article.is_public(),
            "error": error,
        }
        return TemplateResponse(request, "admin/press/article/revisions.html", context)


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("Dafür fehlt Ihnen die Berechtigung.")


class PhotoForm(forms.ModelForm):
    image = PhotoUploadField(
        label=_("Bilddatei"), help_text=_("JPEG, PNG oder WebP in Originalauflösung.")
    )

    class Meta:
        model = Photo
        fields = ["image", "alt_text", "caption", "credit", "usage_rights"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "caption", "credit", "dimensions", "created_at"]
    search_fields = ["caption", "credit", "alt_text"]
    fields = ["image", "alt_text", "caption", "credit", "usage_rights"]

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, photo: Photo) -> str:
        return format_html(
            '<img src="{}" alt="" style="max-height:60px;max-width:90px">', photo.image.url
        )

    @admin.display(description=_("Größe"))
    def dimensions(self, photo: Photo) -> str:
        return f"{photo.width} × {photo.height}" if photo.width else "—"


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "user"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]


@admin.register(Spokesperson)
class SpokespersonAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organisation"]
    search_fields = ["name", "function", "organisation"]
    autocomplete_fields = ["portrait"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["label", "person", "phone", "email", "is_default"]
    search_fields = ["label", "person", "email"]


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "updated_at"]


User = get_user_model()
admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class AccountAdmin(UserAdmin):
    """Administration manages accounts and roles, but cannot grant superuser or raw permissions."""

    list_display = ["username", "full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("Name"))
    def full_name(self, user) -> str:
        return user.get_full_name()

    @admin.display(description=_("Rollen"))
    def roles(self, user) -> str:
        return format_html_join(", ", "{}", ((group.name,) for group in user.groups.all()))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        hidden = {"is_superuser", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLE_NAMES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: their articles and history stay attributed.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(RolePolicy)
class RolePolicyAdmin(admin.ModelAdmin):
    list_display = ["role", "requires_two_factor"]
    list_editable = ["requires_two_factor"]
    fields = ["role", "requires_two_factor"]
    readonly_fields = ["role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one per role, made by the migration

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Group)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["permissions"]
