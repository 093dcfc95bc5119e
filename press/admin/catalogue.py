"""The press office's catalogue in the admin: photos, topics, authors, spokespersons, press
contacts and the legal pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from press.models import Author, LegalPage, Photo, PressContact, Spokesperson, Topic
from press.models.usage import approved_articles
from press.renditions import PhotoNotStored

from .forms import PhotoForm, SpokespersonForm
from .widgets import AutocompleteAdminMixin


class SharedContentAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    """Photos and spokespersons appear in articles: a change to what approved articles show is
    a correction of those articles (`press.models.usage`), and what a public or scheduled
    article shows cannot be deleted from under it."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "correction_note"]
        if obj is not None and approved_articles(obj):
            fields.insert(0, "correction_note")
        return fields

    def save_model(self, request, obj, form, change):
        for article in form.save_shared(obj):
            self.message_user(
                request,
                gettext("„%(title)s“: %(state)s")
                % {"title": article.title, "state": article.events.first().get_action_display()},
                messages.INFO,
            )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and approved_articles(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Photo)
class PhotoAdmin(SharedContentAdmin):
    form = PhotoForm
    list_display = ["thumbnail", "caption", "credit", "dimensions", "created_at"]
    search_fields = ["caption", "credit", "alt_text"]
    fields = ["image", "alt_text", "caption", "credit", "usage_rights"]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """Django's add and change page; when the photo cannot be stored (`PhotoNotStored`:
        the media storage is full or read-only, or the image broke), the form comes back with
        the reason at the file field instead of a server error. By then the first attempt's
        transaction has rolled back and `Photo.save()` has removed its files."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PhotoNotStored as error:
            request.photo_not_stored = error.message
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        not_stored = getattr(request, "photo_not_stored", None)
        return type(form.__name__, (form,), {"not_stored": not_stored}) if not_stored else form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Django's change page, with a warning when the photo is too small for print."""
        photo = self.get_object(request, object_id)
        if request.method == "GET" and photo is not None:
            self.warn_if_too_small(request, photo)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "_continue" not in request.POST:  # the change page that follows warns itself
            self.warn_if_too_small(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # A read-only page would link the file's own URL, and the original has none (it
            # keeps its GPS position): the copy without metadata instead.
            fields = ["full_size" if name == "image" else name for name in fields]
        return fields

    @admin.display(description=_("Bilddatei"))
    def full_size(self, photo: Photo) -> str:
        download = photo.download
        if not download["url"]:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({} × {} px)',
            download["url"],
            gettext("Volle Größe ohne Metadaten"),
            download["width"],
            download["height"],
        )

    def warn_if_too_small(self, request, photo: Photo) -> None:
        """Every photo of an article is offered to the press for download: one whose long
        side is below settings.PHOTO_DOWNLOAD_MIN_SIDE gets a warning (issue 15)."""
        if photo.renditions and photo.too_small_for_download:
            self.message_user(request, too_small_message(photo), messages.WARNING)

    @admin.display(description=_("Vorschau"))
    def thumbnail(self, photo: Photo) -> str:
        # The smallest rendition, never the original (it keeps its GPS position).
        return format_html(
            '<img src="{}" alt="" style="max-height:60px;max-width:90px">', photo.thumbnail_url
        )

    @admin.display(description=_("Größe"))
    def dimensions(self, photo: Photo) -> str:
        if not photo.width:
            return "—"
        size = f"{photo.width} × {photo.height}"
        if photo.renditions and photo.too_small_for_download:
            return format_html(
                '{} <strong class="photo-too-small">{}</strong>', size, gettext("zu klein")
            )
        return size


def too_small_message(photo: Photo) -> str:
    download = photo.download
    return gettext(
        "Das Foto ist für den Download an die Presse zu klein: %(width)d × %(height)d px, "
        "die längere Seite sollte mindestens %(minimum)d px haben. Bitte eine größere "
        "Fassung hochladen."
    ) % {
        "width": download["width"],
        "height": download["height"],
        "minimum": settings.PHOTO_DOWNLOAD_MIN_SIDE,
    }


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Author)
class AuthorAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    """Authors, and for those who may see the accounts (Administration: `auth.view_user`)
    the account an author works with. The editorial roles add and edit authors without that
    field, its column or a search by user name: the author form must not list the accounts
    (issue 12, item 4). The account search behind the field (/admin/autocomplete/) is refused
    by Django itself without a view permission on users."""

    list_display = ["name", "user"]
    search_fields = ["name", "user__username"]
    autocomplete_fields = ["user"]

    @staticmethod
    def sees_accounts(request) -> bool:
        """Whether the user of `request` may see the list of accounts (Administration)."""
        return request.user.has_perm("auth.view_user")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if self.sees_accounts(request) else [f for f in fields if f != "user"]

    def get_exclude(self, request, obj=None):
        return None if self.sees_accounts(request) else ["user"]

    def get_list_display(self, request):
        return self.list_display if self.sees_accounts(request) else ["name"]

    def get_search_fields(self, request):
        return self.search_fields if self.sees_accounts(request) else ["name"]

    def get_autocomplete_fields(self, request):
        return self.autocomplete_fields if self.sees_accounts(request) else []


@admin.register(Spokesperson)
class SpokespersonAdmin(SharedContentAdmin):
    form = SpokespersonForm
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
