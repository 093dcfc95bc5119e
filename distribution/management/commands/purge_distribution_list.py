"""`manage.py purge_distribution_list`: erase the personal data of every subscriber whose
erasure is overdue (distribution/retention.py). The worker does this on its own at the due
minute; the command is for operators, e.g. after the task queue was lost, or with a task
backend that cannot defer tasks."""

from django.core.management.base import BaseCommand

from distribution.retention import purge_overdue


class Command(BaseCommand):
    help = (
        "Löscht die personenbezogenen Daten abgemeldeter Abonnenten nach Ablauf der Frist "
        "(DISTRIBUTION_RETENTION_DAYS) und unbestätigte Anmeldungen nach Ablauf des "
        "Bestätigungslinks (DISTRIBUTION_CONFIRMATION_HOURS)."
    )

    def handle(self, *args, **options) -> None:
        erased = purge_overdue()
        self.stdout.write(f"{erased} Abonnent(en) gelöscht.")
