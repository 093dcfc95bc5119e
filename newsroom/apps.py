"""German names for the third-party apps in the admin (issue 13): Django shows an app by its
`verbose_name`, which these apps leave English or unset ("AXES", "OTP_TOTP"). Each class
here is the app's own configuration with a name in the project's catalogue; INSTALLED_APPS
names these classes instead of the apps. Labels, models and migrations stay the apps' own.

The English of the names comes from locale/en like every other project string."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticConfig
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPConfig
from django_tasks.apps import TasksAppConfig
from django_tasks_db.apps import TasksAppConfig as DatabaseTasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Anmeldeschutz")


class OTPConfig(AppConfig):
    name = "django_otp"
    verbose_name = _("Zwei-Faktor-Anmeldung")


class OTPTOTPConfig(TOTPConfig):
    verbose_name = _("Authenticator-Apps")

    def ready(self):
        # django-otp names this model in English without gettext (Meta.verbose_name =
        # "TOTP device"). _meta is what the admin reads; the migration state is built from
        # Meta as declared (Options.original_attrs), so no migration follows from this.
        super().ready()
        meta = self.get_model("TOTPDevice")._meta
        meta.verbose_name = _("Authenticator-App")
        meta.verbose_name_plural = _("Authenticator-Apps")


class OTPStaticConfig(StaticConfig):
    verbose_name = _("Notfallcodes")

    def ready(self):
        # As above: StaticDevice has no verbose name at all ("static device").
        super().ready()
        meta = self.get_model("StaticDevice")._meta
        meta.verbose_name = _("Notfallcode-Liste")
        meta.verbose_name_plural = _("Notfallcode-Listen")


class SimpleHistoryConfig(AppConfig):
    name = "simple_history"
    verbose_name = _("Fassungen")


class TasksConfig(TasksAppConfig):
    verbose_name = _("Hintergrundaufgaben")


class DatabaseTasksConfig(DatabaseTasksAppConfig):
    verbose_name = _("Aufgabenwarteschlange")
