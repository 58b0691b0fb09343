"""The error page of an uncaught exception: a database that does not answer (PostgreSQL
restarting) is a 503 with Retry-After; anything else is Django's 500."""

import sys

from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults


def server_error(request):
    # Django calls this while handling the exception, so sys.exception() is the one raised.
    if isinstance(sys.exception(), DatabaseError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
    return defaults.server_error(request)
