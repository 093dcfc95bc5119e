"""The press office's catalogue in the admin: photos, topics, authors, spokespersons, press
contacts and the legal pages."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from press.models import Author, LegalPage, Photo, PressContact, Spokesperson, Topic

from .forms import PhotoForm


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


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["label", "person", "phone", "email", "is_default"]
    search_fields = ["label", "person", "email"]


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    list_display = ["kind", "title", "updated_at"]
