"""The mail log in the admin: read-only, for Administration (view permission given by
mailing/migrations/0002) and superusers. The message text is not shown (see `SentMail`)."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import SentMail


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    list_display = ["queued_at", "kind", "recipients_display", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["recipients", "subject"]
    date_hierarchy = "queued_at"
    fields = [
        "kind",
        "recipients_display",
        "subject",
        "status",
        "attempts",
        "last_error",
        "queued_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("Empfänger"), ordering="recipients")
    def recipients_display(self, mail: SentMail) -> str:
        return ", ".join(mail.recipient_list)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
