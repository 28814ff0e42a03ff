"""The API object: token authentication, per-token rate limits, problem documents, one audit entry
per call, and the OpenAPI document as it is committed in docs/.

Clients are integrations, not people: the only credential is `Authorization: Bearer <token>`. A
session cookie on an API request is ignored (nothing here reads `request.user`), and no API response
sets one.
"""

import functools
import logging

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path as url_path
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from offramp.access.middleware import client_address
from offramp.access.scope import Actor
from offramp.api import scopes as api_scopes
from offramp.api.actions import api_call_record, integration_take_call
from offramp.api.models import Integration
from offramp.api.problems import MEDIA_TYPE, PROBLEM_SCHEMA, field_path, problem
from offramp.api.tokens import looks_like_token, token_hash

log = logging.getLogger(__name__)

ERR_AUTH = "Send the integration's token as 'Authorization: Bearer <token>'; it must be current."
ERR_SCOPE = "This integration does not hold the scope {scope!r}."
ERR_RATE = "More than {limit} calls in this minute; retry after {wait} seconds."
ERR_SERVER = "The server could not complete the request; nothing was changed."
ERROR_STATUSES = (400, 401, 403, 404, 413, 422, 429)
PREFIX = "/api/v1/"


class ScopeMissing(Exception):
    def __init__(self, scope: str):
        self.scope = scope


class IntegrationToken(HttpBearer):
    """The bearer token of a current integration; counts the call against its rate limit."""

    def authenticate(self, request, token: str):
        if not looks_like_token(token):
            return None
        now = timezone.now()
        integration = (
            Integration.objects.select_related("program", "agency")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if integration is None or not integration.active_at(now):
            return None
        request.integration = integration
        calls = integration_take_call(integration=integration, now=now)
        if calls > integration.rate_per_minute:
            raise Throttled(wait=60 - now.second)
        return integration


def acting(request, scope: str) -> Actor:
    """The actor for one call needing `scope`: the integration in its program, with the single role the
    scope acts as (offramp/api/scopes.py). Raises ScopeMissing (403) when the scope is not held."""
    integration: Integration = request.auth
    if scope not in integration.scopes:
        raise ScopeMissing(scope)
    return Actor(
        user=None,
        program=integration.program,
        roles=frozenset({api_scopes.role_for(scope)}),
        source_address=client_address(request),
        label=integration.audit_label,
    )


class OfframpAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Always the mounted prefix, so the served document and docs/openapi.json are the same.
        schema = super().get_openapi_schema(path_prefix=path_prefix or PREFIX, path_params=path_params)
        return document_errors(schema)


def document_errors(schema) -> dict:
    """Every operation answers its errors as problem documents: say so once for all of them."""
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for status in ERROR_STATUSES:
                if status == 401 and not operation.get("security"):
                    continue
                responses[status] = {"description": _DESCRIPTIONS[status], "content": content}
    return schema


_DESCRIPTIONS = {
    400: "The request could not be read (not JSON, or a header is wrong)",
    401: "No current integration token",
    403: "The integration lacks the scope this operation needs",
    404: "Not found, or not visible to this integration",
    413: "The request body is too large",
    422: "A field is invalid; `errors` names each one. Nothing was changed.",
    429: "The integration's rate limit is used up for this minute",
}


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(NinjaValidationError)
    def invalid(request, exc):
        errors = [{"field": field_path(e.get("loc", ())), "detail": e.get("msg", "")} for e in exc.errors]
        return problem(422, "The request has invalid fields; nothing was changed.", errors=errors)

    @api.exception_handler(DjangoValidationError)
    def refused(request, exc):
        field = getattr(exc, "api_field", "")
        if hasattr(exc, "error_dict"):
            errors = [{"field": f, "detail": m} for f, ms in exc.message_dict.items() for m in ms]
        else:
            errors = [{"field": field, "detail": m} for m in exc.messages]
        return problem(422, errors[0]["detail"] if errors else "Invalid request.", errors=errors)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return problem(413, "The request body is larger than the server takes; send smaller batches.")

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem(404, "Not found.")

    @api.exception_handler(ScopeMissing)
    def scope_missing(request, exc):
        return problem(403, ERR_SCOPE.format(scope=exc.scope))

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        integration = getattr(request, "integration", None)
        limit = integration.rate_per_minute if integration else 0
        return problem(
            429, ERR_RATE.format(limit=limit, wait=exc.wait), headers={"Retry-After": str(exc.wait)}
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem(401, ERR_AUTH, headers={"WWW-Authenticate": 'Bearer realm="offramp"'})

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("API error")  # the traceback goes to the log, never to the client
        return problem(500, ERR_SERVER)


def audited_urls(api: NinjaAPI):
    """The API's URL patterns, each view wrapped to leave one audit entry per call."""
    patterns, app_name, namespace = api.urls
    wrapped = [
        url_path(str(p.pattern), _audited(p.callback), name=p.name) for p in patterns if p.name != "api-root"
    ]
    return wrapped, app_name, namespace


def unknown_path(request, rest: str = ""):
    """Anything else under /api/: a problem document too, never an HTML page."""
    return problem(404, "No such API path.")


def _audited(view):
    @functools.wraps(view)
    def call(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        integration = getattr(request, "integration", None)
        if request.path.endswith("/openapi.json"):
            return response
        actor = Actor(
            user=None,
            program=integration.program if integration else None,
            source_address=client_address(request),
            label=integration.audit_label if integration else "integration:unauthenticated",
        )
        match = getattr(request, "resolver_match", None)
        api_call_record(
            actor=actor,
            method=request.method,
            path=request.path,
            status=response.status_code,
            operation=(match.url_name or "")[:64] if match else "",
        )
        return response

    return call
