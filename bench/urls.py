"""URLconf for bench/pages.py: the project's URLs plus a floor view (the cost of the
request/response cycle, middleware and session with no work at all)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as project_urls


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/floor/", floor), *project_urls.urlpatterns]

handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500
