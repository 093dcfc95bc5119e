"""The desk's two pages: the admin's start page, which sends Redaktion and Freigabe to their
desk, and the desk itself. Both sit behind the admin's own guard (`AdminSite.admin_view`:
log-in, staff, no caching)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import calendar, queries


def works_at_desk(user) -> bool:
    """Whether the admin starts with the desk for `user`: people who write or publish articles
    (Redaktion, Freigabe). Administration and superusers start with Django's list of models,
    which links the desk."""
    return not user.is_superuser and (
        user.has_perm("press.add_article") or user.has_perm("press.publish_article")
    )


def start(request: HttpRequest) -> HttpResponse:
    """`admin:index` (/admin/): the desk for Redaktion and Freigabe, the admin's index for
    everyone else."""
    if works_at_desk(request.user):
        return redirect("desk:desk")
    desk_url = reverse("desk:desk") if request.user.has_perm("press.view_article") else None
    return admin.site.index(request, extra_context={"desk_url": desk_url})


def desk(request: HttpRequest) -> HttpResponse:
    """The desk of the person asking (403 without the right to view articles). The query
    string chooses the calendar: `ansicht=woche|monat`, `datum=YYYY-MM-DD`."""
    if not request.user.has_perm("press.view_article"):
        raise PermissionDenied
    view, day = calendar.requested(request.GET)
    period = calendar.build(view, day, queries.scheduled_by_day)
    return TemplateResponse(
        request,
        "desk/desk.html",
        {
            **admin.site.each_context(request),
            "title": _("Schreibtisch"),
            "desk": queries.desk_for(request.user),
            "calendar": period,
            "calendar_links": {
                name: "?" + urlencode({"ansicht": v, "datum": d.isoformat()})
                for name, v, d in [
                    ("previous", view, period.previous),
                    ("next", view, period.next),
                    ("week", calendar.WEEK, day),
                    ("month", calendar.MONTH, day),
                ]
            },
            "article_list": reverse("admin:press_article_changelist"),
        },
    )
