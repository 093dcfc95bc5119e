"""Import and export in the admin: "Pressemitteilung importieren" on the article list, "Als
Text" and "Als PDF" on an article. The editorial core's ArticleAdmin is extended with these
pages and registered again, so that the core knows nothing of imports and exports."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext

from press.admin import ArticleAdmin
from press.models import Article

from .exporting import export_filename, export_pdf, export_text
from .forms import ImportForm
from .importing import ImportOutcome, import_file
from .parser import MAX_BYTES


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
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload one or more release files; each becomes a draft (or is named with why not)."""
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
        return self.render_subpage(
            request,
            "admin/releases/article/import.html",
            title=gettext("Pressemitteilung importieren"),
            form=form,
            outcomes=outcomes,
        )

    def export_view(self, request: HttpRequest, pk: int, file_format: str = "txt") -> HttpResponse:
        """The article as release text or PDF, for everyone who may see it in the admin."""
        article = self.article_or_403(request, pk)
        if file_format == "pdf":
            response = HttpResponse(export_pdf(article), content_type="application/pdf")
        else:
            response = HttpResponse(export_text(article), content_type="text/plain; charset=utf-8")
        filename = export_filename(article, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithReleasesAdmin)
