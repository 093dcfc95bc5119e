"""The public subscription pages (first version: the names exist, the pages follow)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt


def subscribe(request: HttpRequest) -> HttpResponse:
    raise Http404


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


def preferences(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404
