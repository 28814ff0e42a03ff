import logging

from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# What SQLite says when another connection held the write lock past the wait (settings
# OFFRAMP_SQLITE_BUSY_SECONDS); the request's own transaction has been rolled back.
BUSY_ERRORS = ("database is locked", "database table is locked")
RETRY_AFTER_SECONDS = 5


def database_busy(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError) and any(text in str(exc) for text in BUSY_ERRORS)


def busy_response(request) -> HttpResponse:
    """A plain 503 page (no navigation, which would ask the database again) saying to retry."""
    logger.warning("Database busy: answered 503 for %s %s", request.method, request.path)
    # Only a same-site path goes back into the page: never a full URL from the request.
    path = request.path if request.path.startswith("/") and not request.path.startswith("//") else "/"
    page = loader.get_template("web/busy.html").render({"path": path})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """A view that meets a busy database answers 503 with a retry page, never a 500.

    Errors in other middleware (a session saved after the view) reach `offramp.web.views.server_error`,
    which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if database_busy(exception):
            return busy_response(request)
        return None


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy: offramp serves every asset itself, and no inline script runs."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), payment=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response
