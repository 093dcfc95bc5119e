"""The editors' and approvers' workplace: Django's admin, configured for articles
(`articles`: list, form, workflow, preview and revision pages, thin views that call the
articles' methods) and the catalogue of photos, topics and people (`catalogue`), with their
forms (`forms`). User accounts and roles are administered by the accounts app, imports and
exports by the releases app."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .articles import ArticleAdmin
from .catalogue import (
    AuthorAdmin,
    LegalPageAdmin,
    PhotoAdmin,
    PressContactAdmin,
    SpokespersonAdmin,
    TopicAdmin,
)

admin.site.site_header = _("Pressestelle KoBa Harz")
admin.site.site_title = _("Newsroom")
admin.site.index_title = _("Redaktion und Freigabe")

__all__ = [
    "ArticleAdmin",
    "AuthorAdmin",
    "LegalPageAdmin",
    "PhotoAdmin",
    "PressContactAdmin",
    "SpokespersonAdmin",
    "TopicAdmin",
]
