from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve

from accounts import backup_codes, invitations, passwords, two_factor
from newsroom.health import healthz
from notifications.views import preferences as notification_preferences

urlpatterns = [
    # The admin's "Passwort vergessen?" link appears once this name exists.
    path(
        "admin/password_reset/",
        passwords.PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path("admin/zwei-faktor/", two_factor.verify, name="two_factor_verify"),
    path("admin/zwei-faktor/einrichten/", two_factor.setup, name="two_factor_setup"),
    path(
        "admin/benachrichtigungen/",
        admin.site.admin_view(notification_preferences),
        name="notification_preferences",
    ),
    path("admin/zwei-faktor/notfallcodes/", backup_codes.codes, name="two_factor_backup_codes"),
    # The admin's start page (the desk for Redaktion and Freigabe) and the desk, before the admin.
    path("admin/", include("desk.urls")),
    path("admin/", admin.site.urls),
    # django.contrib.auth's pages, for the password reset link in mails; logging in is the
    # admin's page (contrib.auth's own log-in page has no template here).
    path("konto/login/", RedirectView.as_view(pattern_name="admin:login", query_string=True)),
    # contrib.auth's own reset address leads to the same limited, queued reset.
    path("konto/password_reset/", passwords.PasswordResetView.as_view()),
    # The invitation's one-time link (accounts.invitations): the first password.
    path(
        "konto/einladung/<uidb64>/<token>/",
        invitations.SetPasswordView.as_view(),
        name="invitation_set_password",
    ),
    path(
        "konto/einladung/fertig/", invitations.SetPasswordDoneView.as_view(), name="invitation_done"
    ),
    path("konto/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz, name="healthz"),
    # The press distribution list: subscribe, confirm, preferences, one-click unsubscribe.
    path("verteiler/", include("distribution.urls")),
    path("", include("public.urls")),
]

handler403 = "newsroom.errors.permission_denied"
handler500 = "newsroom.errors.server_error"

if settings.SERVE_MEDIA:
    # Development and browser tests; production serves media from its own host name.
    urlpatterns.insert(0, path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
