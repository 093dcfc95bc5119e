"""`manage.py import_releases PATH...`: press releases from text files as draft articles.

Each file has the budgets of `releases.importing`: at most RELEASE_IMPORT_MAX_BYTES (a larger
file is named as failed without being read whole) and RELEASE_IMPORT_MAX_SECONDS to read and
store it."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from releases.importing import (
    ImportOutcome,
    database_ready,
    import_file,
    known_spokesperson_names,
    max_file_bytes,
)

# Release files in a folder: text files and Word documents (releases.word).
RELEASE_SUFFIXES = {".txt", ".docx"}


def release_files(paths: list[str]) -> list[Path]:
    """Files named on the command line, and the .txt and .docx files in named folders (recursively,
    sorted, so that an archive is imported in the same order every time)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and child.suffix.lower() in RELEASE_SUFFIXES
            )
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(_("Nicht gefunden: %(path)s") % {"path": name})
    return list(dict.fromkeys(found))


class Command(BaseCommand):
    # Commands are imported after Django is set up, so translating here is safe; argparse cannot
    # handle lazy strings.
    help = _(
        "Importiert Pressemitteilungen aus Word-Dateien (.docx) und Textdateien (UTF-8 oder "
        "Windows-1252) als Entwürfe. "
        "Dieselbe Datei zweimal zu importieren legt nichts Neues an."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help=_("Dateien oder Ordner mit .txt- und .docx-Dateien")
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=_(
                "Mit dem Datum der Mitteilung veröffentlichen statt als Entwurf anlegen "
                "(Übernahme eines Archivs)."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Nur lesen und anzeigen, was erkannt wird; nichts speichern."),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help=_(
                "Mit --dry-run: das Erkannte als JSON ausgeben (eine Liste, ein Objekt je Datei)."
            ),
        )
        parser.add_argument(
            "--allow-duplicates",
            action="store_true",
            help=_(
                "Auch Mitteilungen importieren, deren Überschrift und Datum ein vorhandener "
                "Artikel schon hat."
            ),
        )
        parser.add_argument(
            "--user",
            help=_(
                "Benutzername, unter dem importiert wird (braucht das Recht, Artikel anzulegen). "
                "Ohne: Import durch das System."
            ),
        )

    def handle(self, *args, paths, publish, dry_run, as_json, user, allow_duplicates, **options):
        if as_json and not dry_run:
            raise CommandError(_("--json gibt es nur zusammen mit --dry-run."))
        ready = database_ready()
        if not ready and not dry_run:
            raise CommandError(
                _(
                    "Die Datenbank ist noch nicht eingerichtet. Bitte zuerst „python manage.py "
                    "migrate“ ausführen."
                )
            )
        if not ready:
            # Reading needs no database; what it would compare with is not there yet.
            self.stderr.write(
                _(
                    "Hinweis: Die Datenbank ist noch nicht eingerichtet (zuerst „python manage.py "
                    "migrate“ ausführen). Die Dateien werden nur gelesen, ohne Abgleich mit "
                    "vorhandenen Artikeln und Personen."
                )
            )
        account = self._account(user) if user and ready else None
        files = release_files(paths)
        names = known_spokesperson_names() if ready else []
        outcomes: list[ImportOutcome] = []
        for path in files:
            try:
                with path.open("rb") as file:
                    # One byte more than allowed is enough for the importer to refuse it.
                    data = file.read(max_file_bytes(path.name) + 1)
            except OSError as error:
                outcome = ImportOutcome(str(path), ImportOutcome.FAILED, reason=str(error))
            else:
                outcome = import_file(
                    str(path),
                    data,
                    user=account,
                    publish=publish,
                    dry_run=dry_run,
                    known_names=names,
                    allow_duplicate=allow_duplicates,
                    database=ready,
                )
                if outcome.status == ImportOutcome.CREATED:
                    # Later files may quote the people this one introduced ('so Langer').
                    names += [q.speaker for q in outcome.parsed.quotes]
            outcomes.append(outcome)
            if not as_json:
                self._report(outcome)
        if as_json:
            self._json(outcomes)
        self._summary(outcomes, dry_run, as_json)

    def _account(self, username: str):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(
                _("Benutzer „%(name)s“ gibt es nicht.") % {"name": username}
            ) from error

    def _report(self, outcome: ImportOutcome) -> None:
        if outcome.status == ImportOutcome.FAILED:
            self.stderr.write(
                _("FEHLER %(file)s: %(reason)s") % {"file": outcome.file, "reason": outcome.reason}
            )
            return
        if outcome.status == ImportOutcome.PARSED:
            parsed = outcome.parsed
            self.stdout.write(
                _(
                    "geprüft   %(file)s: „%(title)s“ (%(date)s, %(paragraphs)d Absätze, "
                    "%(quotes)d Zitate)"
                )
                % {
                    "file": outcome.file,
                    "title": parsed.title,
                    "date": parsed.date.strftime("%d.%m.%Y") if parsed.date else _("ohne Datum"),
                    "paragraphs": len(parsed.blocks),
                    "quotes": len(parsed.quotes),
                }
            )
        elif outcome.status == ImportOutcome.DUPLICATE and outcome.duplicate_of is not None:
            self.stdout.write(
                _(
                    "vorhanden %(file)s: Überschrift und Datum hat schon „%(title)s“ (ID %(id)s); "
                    "nicht importiert (--allow-duplicates importiert trotzdem)"
                )
                % {
                    "file": outcome.file,
                    "title": outcome.duplicate_of.title,
                    "id": outcome.duplicate_of.pk,
                }
            )
        elif outcome.status == ImportOutcome.DUPLICATE:
            self.stdout.write(
                _("vorhanden %(file)s: bereits importiert als „%(title)s“ (ID %(id)s)")
                % {
                    "file": outcome.file,
                    "title": outcome.article.title if outcome.article else "?",
                    "id": outcome.article.pk if outcome.article else "?",
                }
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("angelegt  %(file)s: „%(title)s“ (ID %(id)d, %(state)s)")
                    % {
                        "file": outcome.file,
                        "title": outcome.article.title,
                        "id": outcome.article.pk,
                        "state": outcome.article.get_state_display(),
                    }
                )
            )
        for warning in outcome.warnings:
            self.stdout.write("          " + _("Hinweis: %(warning)s") % {"warning": warning})
        if outcome.parsed is not None and outcome.parsed.uncertain:
            self.stdout.write(
                "          "
                + _("Bitte prüfen: %(fields)s")
                % {"fields": ", ".join(outcome.parsed.uncertain_labels())}
            )

    def _json(self, outcomes: list[ImportOutcome]) -> None:
        data = []
        for outcome in outcomes:
            if outcome.parsed is not None:
                data.append(outcome.parsed.as_json(outcome.file))
            else:
                # Failed files stay in the list, so that it has one object per file.
                data.append({"file": outcome.file, "error": outcome.reason})
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        for outcome in outcomes:
            if outcome.status == ImportOutcome.FAILED:
                self._report(outcome)

    def _summary(self, outcomes: list[ImportOutcome], dry_run: bool, as_json: bool) -> None:
        count = {status: 0 for status in ("created", "duplicate", "parsed", "failed")}
        for outcome in outcomes:
            count[outcome.status] += 1
        if dry_run:
            line = _(
                "%(files)d Dateien: %(parsed)d lesbar, %(failed)d fehlerhaft (nichts gespeichert)."
            )
        else:
            line = _(
                "%(files)d Dateien: %(created)d angelegt, %(duplicate)d bereits vorhanden, "
                "%(failed)d fehlerhaft."
            )
        # With --json, stdout carries only the JSON; the summary goes to stderr.
        stream = self.stderr if as_json else self.stdout
        stream.write(line % {"files": len(outcomes), **count})
        if count["failed"]:
            raise CommandError(
                _("%(failed)d Datei(en) nicht importiert; siehe FEHLER oben.") % count,
                returncode=1,
            )
