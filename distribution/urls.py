"""The public distribution-list pages under /verteiler/ (included by newsroom/urls.py)."""

from django.urls import path

from distribution import embargo, views

app_name = "distribution"

urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("angefordert/", views.requested, name="requested"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("einstellungen/<str:token>/", views.preferences, name="preferences"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # The embargo preview of an advance copy and its photos (distribution.embargo).
    path("sperrfrist/<str:token>/", embargo.preview, name="embargo_preview"),
    path(
        "sperrfrist/<str:token>/foto/<int:pk>/<str:filename>",
        embargo.photo,
        name="embargo_photo",
    ),
]
