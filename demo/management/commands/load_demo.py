"""`manage.py load_demo`: demo content and accounts for a local newsroom (see demo/loader.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils.translation import gettext as _

from demo.loader import load_demo


class Command(BaseCommand):
    # Commands are imported after Django is set up, so translating here is safe; argparse cannot
    # handle lazy strings.
    help = _(
        "Lädt Demo-Inhalte (Artikel in jedem Status, Pflichtseiten) und legt je Rolle ein "
        "Demo-Konto an. Mehrfaches Ausführen legt nichts doppelt an."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Auch ohne DEBUG laden. Nie auf einem Produktivsystem!"),
        )

    def handle(self, *args, force: bool = False, **options):
        # The demo accounts have published passwords: keep them off production by default.
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "DEBUG ist aus – das sieht nach einem Produktivsystem aus. Die Demo-Konten "
                    "haben bekannte Passwörter. Wenn Sie sicher sind: --force."
                )
            )
        result = load_demo()
        if result.created_articles:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo-Inhalte geladen: %(count)d Artikel.")
                    % {"count": result.created_articles}
                )
            )
        else:
            self.stdout.write(_("Demo-Inhalte sind schon vorhanden; es wurde nichts angelegt."))
        self.write_logins(result.logins)

    def write_logins(self, logins) -> None:
        self.stdout.write("")
        self.stdout.write(_("Öffentliche Seite: %(url)s") % {"url": f"{settings.SITE_URL}/"})
        admin_url = settings.SITE_URL + reverse("admin:index")
        self.stdout.write(
            self.style.SUCCESS(_("Anmeldung im Redaktionssystem: %(url)s") % {"url": admin_url})
        )
        self.stdout.write("")
        self.stdout.write(_("Demo-Zugänge (nur für die lokale Entwicklung):"))
        for login in logins:
            account = login.account
            line = _("  %(role)-15s Benutzer: %(username)-11s Passwort: %(password)s") % {
                "role": account.role,
                "username": account.username,
                "password": account.password,
            }
            if not login.password_works:
                line += " " + _("(Passwort wurde inzwischen geändert)")
            self.stdout.write(line)
