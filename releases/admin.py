"""Import and export in the admin: "Pressemitteilung importieren" on the article list, "Als
Text" and "Als PDF" on an article. The editorial core's ArticleAdmin is extended with these
pages and registered again, so that the core knows nothing of imports and exports."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext

from press.admin import ArticleAdmin
from press.models import Article

from .exporting import PdfTooLargeError, export_filename, export_pdf, export_text
from .forms import ImportForm
from .importing import import_deadline, max_file_bytes
from .models import PendingImport
from .preview import bound_forms, confirm, forget, included, reread, stage
from .word_export import DOCX_CONTENT_TYPE, export_docx


class ArticleWithReleasesAdmin(ArticleAdmin):
    change_form_template = "admin/releases/article/change_form.html"
    change_list_template = "admin/releases/article/change_list.html"

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="press_article_import"),
            path("<int:pk>/export.txt", wrap(self.export_view), name="press_article_export_txt"),
            path(
                "<int:pk>/export.pdf",
                wrap(self.export_view),
                {"file_format": "pdf"},
                name="press_article_export_pdf",
            ),
            path(
                "<int:pk>/export.docx",
                wrap(self.export_view),
                {"file_format": "docx"},
                name="press_article_export_docx",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload one or more release files, see what was recognised, then create the drafts.

        The upload is read as a dry run and shown field by field beside the file's text, with
        warnings, uncertain fields and duplicates (`releases.preview`); the editor corrects or
        confirms, and only the confirmation creates drafts. A file over the size budget makes
        the form refuse the whole upload; the time budget (settings.RELEASE_IMPORT_MAX_SECONDS)
        is shared by all files of one request, so that it ends well within gunicorn's worker
        timeout. A file over a budget is a form error as well as a failed file, and nothing of
        it is kept."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request)
        form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
        if form.is_valid():
            uploads = [
                # One byte more than allowed is enough for the importer to refuse it.
                (upload.name, upload.read(max_file_bytes(upload.name) + 1))
                for upload in form.cleaned_data["files"]
            ]
            rows = stage(uploads, request.user, import_deadline())
            for row in rows:
                if row.outcome.over_budget:
                    form.add_error(
                        "files",
                        gettext("„%(file)s“: %(reason)s")
                        % {"file": row.outcome.file, "reason": row.outcome.reason},
                    )
            if form.is_valid():
                return self._preview(request, rows)
            # Over a budget: nothing of this upload is kept; the editor uploads again.
            PendingImport.objects.filter(
                token__in=[row.pending.token for row in rows if row.pending]
            ).delete()
            return self._import_page(request, form, [row.outcome for row in rows])
        return self._import_page(request, form, [])

    def _import_page(self, request, form, outcomes) -> HttpResponse:
        return self.render_subpage(
            request,
            "admin/releases/article/import.html",
            title=gettext("Pressemitteilung importieren"),
            form=form,
            outcomes=outcomes,
        )

    def _preview(self, request, rows) -> HttpResponse:
        return self.render_subpage(
            request,
            "admin/releases/article/import_preview.html",
            title=gettext("Import prüfen"),
            rows=rows,
            count=len([row for row in rows if row.form is not None]),
        )

    def _confirm_import(self, request: HttpRequest) -> HttpResponse:
        """The editor's confirmation: each ticked file is imported with the values as
        corrected; a form with errors shows the preview again, nothing imported."""
        forms = bound_forms(request.POST)
        wanted = [form for form in forms if included(form)]
        if not all(form.is_valid() for form in wanted):
            return self._preview(request, reread(forms, request.user))
        for form in forms:
            if not included(form):
                forget(form, request.user)
        deadline = import_deadline()
        outcomes = [
            outcome for form in wanted if (outcome := confirm(form, request.user, deadline))
        ]
        return self._import_page(request, ImportForm(), outcomes)

    def export_view(self, request: HttpRequest, pk: int, file_format: str = "txt") -> HttpResponse:
        """The article as release text, PDF or Word document, for everyone who may see it in
        the admin.

        An article too long for a PDF sends the editor back to it with the reason (a redirect,
        not 413: that status is about the request, and the page with the message is where the
        editor can act)."""
        article = self.article_or_403(request, pk)
        if file_format == "pdf":
            try:
                data = export_pdf(article)
            except PdfTooLargeError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(reverse("admin:press_article_change", args=[pk]))
            response = HttpResponse(data, content_type="application/pdf")
        elif file_format == "docx":
            response = HttpResponse(export_docx(article), content_type=DOCX_CONTENT_TYPE)
        else:
            response = HttpResponse(export_text(article), content_type="text/plain; charset=utf-8")
        filename = export_filename(article, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithReleasesAdmin)
