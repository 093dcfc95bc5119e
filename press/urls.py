from django.urls import path, re_path

from . import views

app_name = "press"

urlpatterns = [
    path("", views.ArticleIndexView.as_view(), name="index"),
    path(
        "<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
    path("themen/<slug:slug>/", views.topic_detail, name="topic"),
    path("sprecher/<slug:slug>/", views.spokesperson_detail, name="spokesperson"),
    re_path(r"^(?P<kind>impressum|datenschutz|barrierefreiheit)/$", views.legal_page, name="legal"),
]
