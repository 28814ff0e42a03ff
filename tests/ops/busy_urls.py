"""A URL configuration for tests/ops/test_busy_database.py: a page whose database stays busy."""

from django.db import OperationalError
from django.urls import include, path


def busy(request):
    raise OperationalError("database is locked")


def broken(request):
    raise OperationalError("no such column: nothing")


urlpatterns = [
    path("busy", busy),
    path("broken", broken),
    path("", include("offramp.urls")),
]
handler500 = "offramp.web.views.server_error"
