"""`manage.py export_release ARTICLE...`: articles as release text (for the Kreisblatt) or PDF."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from press.models import Article
from releases.exporting import PdfTooLargeError, export_filename, export_pdf, export_text
from releases.word_export import export_docx


class Command(BaseCommand):
    # Commands are imported after Django is set up, so translating here is safe; argparse cannot
    # handle lazy strings.
    help = _(
        "Gibt Artikel als Text im Format der Pressemitteilungen (UTF-8) oder als PDF aus. "
        "Ein einzelner Text geht ohne --output-dir auf die Standardausgabe."
    )

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", help=_("ID oder Kurzname (Slug) der Artikel"))
        parser.add_argument(
            "--all", action="store_true", dest="everything", help=_("Alle Artikel ausgeben.")
        )
        parser.add_argument(
            "--format",
            choices=["txt", "pdf", "docx"],
            default="txt",
            dest="file_format",
            help=_("txt (Standard), pdf oder docx (Word)"),
        )
        parser.add_argument(
            "--output-dir",
            help=_("Ordner für die Dateien (Name: Datum und Kurzname, z. B. 2017-10-06-….txt)"),
        )

    def handle(self, *args, articles, everything, file_format, output_dir, **options):
        selected = self._articles(articles, everything)
        if output_dir is None:
            if file_format != "txt" or len(selected) != 1:
                raise CommandError(
                    _("Für PDF, Word oder mehrere Artikel bitte --output-dir angeben.")
                )
            self.stdout.write(export_text(selected[0]), ending="")
            return
        folder = Path(output_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for article in selected:
            target = folder / export_filename(article, file_format)
            if file_format == "pdf":
                try:
                    data = export_pdf(article)
                except PdfTooLargeError as error:
                    raise CommandError(str(error)) from error
                target.write_bytes(data)
            elif file_format == "docx":
                target.write_bytes(export_docx(article))
            else:
                target.write_text(export_text(article), encoding="utf-8")
            self.stdout.write(str(target))
        self.stdout.write(
            self.style.SUCCESS(_("%(count)d Datei(en) geschrieben.") % {"count": len(selected)})
        )

    def _articles(self, keys: list[str], everything: bool) -> list[Article]:
        if everything:
            return list(Article.objects.select_related("press_contact", "lead_photo"))
        if not keys:
            raise CommandError(_("Bitte Artikel (ID oder Kurzname) oder --all angeben."))
        found = []
        for key in keys:
            lookup = {"pk": int(key)} if key.isdigit() else {"slug": key}
            article = Article.objects.filter(**lookup).first()
            if article is None:
                raise CommandError(_("Artikel „%(key)s“ gibt es nicht.") % {"key": key})
            found.append(article)
        return found
