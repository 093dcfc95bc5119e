"""/admin/ and /admin/schreibtisch/, included before the admin's own URLs (newsroom/urls.py), so
that the desk is the start page of Redaktion and Freigabe and `admin:index` keeps its address."""

from django.contrib import admin
from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", admin.site.admin_view(views.start), name="start"),
    path("schreibtisch/", admin.site.admin_view(views.desk), name="desk"),
]
