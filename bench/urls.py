"""The project's URLs plus /bench/trivial: the cheapest page Django's middleware can serve."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial", trivial), *project_urlpatterns]
